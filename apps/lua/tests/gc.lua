-- garbage collection under allocation: many short-lived tables and strings, weak tables,
-- finalizers; live data stays under ~1 MB so that the Cortex-M boards (2.9 MiB of app RAM) run it
local fin = 0
for i = 1, 300 do setmetatable({}, { __gc = function() fin = fin + 1 end }) end
collectgarbage() collectgarbage()
print("finalizers", fin)
local weak = setmetatable({}, { __mode = "v" })
for i = 1, 100 do weak[i] = { i } end
collectgarbage()
local left = 0 for _ in pairs(weak) do left = left + 1 end print("weak left", left)
local keep = {}
for round = 1, 20 do
  local t = {}
  for i = 1, 1000 do t[i] = string.rep(string.char(65 + i % 26), i % 50) .. i end
  keep[round % 5 + 1] = t
end
local total = 0 for _, t in pairs(keep) do total = total + #t end print("kept", total)
keep = nil collectgarbage()
local parts = {} for i = 1, 10000 do parts[i] = tostring(i) end
local s = table.concat(parts, ",") print(#s, s:sub(1, 20), s:sub(-20))
parts, s = nil, nil collectgarbage()
print(collectgarbage("step"), collectgarbage("isrunning"), collectgarbage("incremental"), collectgarbage("generational"), collectgarbage("incremental"))
local big = {} for i = 1, 30000 do big[i] = i end print(#big, big[#big]) big = nil collectgarbage()
print(collectgarbage("count") < 1024)
