-- closures, upvalues, varargs, metatables and coroutines
local function counter(start)
  local n = start
  return function(step) n = n + (step or 1) return n end, function() return n end
end
local inc, get = counter(10)
inc() inc(5) print("counter", get(), inc(-16))
local fs = {}
for i = 1, 5 do fs[i] = function() return i * i end end
print(fs[1](), fs[3](), fs[5]())
local function compose(f, g) return function(...) return f(g(...)) end end
print(compose(function(x) return x + 1 end, function(a, b) return a * b end)(6, 7))
local function va(...) local t = table.pack(...) return t.n, select("#", ...), ... end
print(va(1, nil, 3, nil))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib", fib(25))
local memo = setmetatable({}, { __mode = "k", __index = function(t, k) local v = k * 2 rawset(t, k, v) return v end })
print(memo[21], rawget(memo, 21), rawget(memo, 22))
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({ x = a.x + b.x, y = a.y + b.y }, V) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
V.__lt = function(a, b) return a.x < b.x end
V.__len = function() return 2 end
V.__call = function(self, k) return self[k] end
V.__concat = function(a, b) return tostring(a) .. tostring(b) end
local a, b = setmetatable({ x = 1, y = 2 }, V), setmetatable({ x = 3, y = 4 }, V)
print(tostring(a + b), a + b == setmetatable({ x = 4, y = 6 }, V), a < b, #a, a("y"), a .. b)
-- goto, integer for loops, while/repeat
local acc = 0
for i = 10, 1, -3 do acc = acc * 10 + i end
local k = 0 repeat k = k + 1 until k >= 7
do local i = 1 ::top:: i = i + 1 if i < 5 then goto top end acc = acc + i end
print("loops", acc, k)
-- coroutines
local gen = coroutine.wrap(function(n) for i = 1, n do coroutine.yield(i, i * i) end return "done" end)
print(gen(3)) print(gen()) print(gen()) print(gen())
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  error({ code = d + e })
end)
print(coroutine.resume(co, 1, 2)) print(coroutine.status(co))
print(coroutine.resume(co, 10))
local ok, err = coroutine.resume(co, 3, 4) print(ok, type(err), err.code, coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.isyieldable(), coroutine.running())
local function producer() return coroutine.create(function() for _, w in ipairs({ "a", "b", "c" }) do coroutine.yield(w) end end) end
local p, out = producer(), {}
while true do local _, v = coroutine.resume(p) if not v then break end out[#out + 1] = v end
print(table.concat(out, "+"), coroutine.status(p))
local co2 = coroutine.create(function() coroutine.yield() end) coroutine.resume(co2)
print(coroutine.close(co2), coroutine.status(co2))
-- many coroutines alive at once
local cos = {}
for i = 1, 200 do cos[i] = coroutine.create(function(x) while true do x = coroutine.yield(x + i) end end) end
local s = 0
for r = 1, 3 do for i = 1, 200 do local _, v = coroutine.resume(cos[i], r) s = s + v end end
print("coroutines", s)
print(select(2, pcall(string.rep)), collectgarbage("count") > 0, collectgarbage() == 0)
