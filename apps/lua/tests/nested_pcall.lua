-- pcall inside pcall inside ...: each level is a C call (pcall) around a Lua call. 190 levels fit
-- under Lua's limit (LUAI_MAXCCALLS = 200); deeper, Lua stops with its own "C stack overflow"
-- error, which pcall catches. The C stack this takes is the board's to give ([run] stack).
local depth = tonumber(arg[1]) or 190
local reached = 0
local function nest(n)
  reached = math.max(reached, n)
  if n == depth then return "bottom" end
  local ok, v = pcall(nest, n + 1)
  if not ok then return "error at " .. n .. ": " .. tostring(v) end
  return v
end
local ok, v = pcall(nest, 1)
print(ok, v)
print("deepest", reached)
-- string.gsub with a callback: nested C calls again, each with a luaL_Buffer on the C stack
local function g(s, n) if n == 0 then return s end return (s:gsub(".", function(c) return g(c, n - 1) end)) end
print(pcall(g, "ab", depth))
-- a coroutine inside: resume is a C call too
local function co_nest(n)
  if n == 0 then return "co bottom" end
  return select(2, coroutine.resume(coroutine.create(co_nest), n - 1))
end
print(pcall(co_nest, depth // 2))
