-- table.sort of 10000 numbers made by a fixed LCG
local n = tonumber(arg and arg[1]) or 10000
local seed = 12345
local function rand()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed
end
local t = {}
for i = 1, n do t[i] = rand() % 100000 end
local f = {}
for i = 1, n do f[i] = (rand() % 1000000) / 7 end
table.sort(t)
table.sort(f, function(a, b) return a > b end)
local ok = true
for i = 2, n do if t[i - 1] > t[i] or f[i - 1] < f[i] then ok = false end end
local sum = 0
for i = 1, n do sum = sum + t[i] * i end
print("sorted", ok, #t, t[1], t[n // 2], t[n], sum)
print("floats", f[1], f[n // 2], f[n], string.format("%.6f", f[17]))
local words = {}
for i = 1, 500 do words[i] = string.format("w%05d", rand() % 50000) end
table.sort(words)
print(words[1], words[250], words[500])
table.sort(words, function(a, b) return a > b end)
print(words[1], words[500])
local recs = {}
for i = 1, 200 do recs[i] = { k = rand() % 10, i = i } end
table.sort(recs, function(a, b) if a.k ~= b.k then return a.k < b.k end return a.i < b.i end)
print(recs[1].k, recs[1].i, recs[200].k, recs[200].i)
print(pcall(table.sort, { 3, 1, "x" }))
print(table.unpack({ 1, 2, 3 })) print(table.move({ 1, 2, 3 }, 1, 3, 2)[3])
local q = { 5, 3 } table.insert(q, 1, 9) table.insert(q, 7) print(table.remove(q, 1), table.concat(q, " "))
