-- pcall/xpcall/error: messages, levels, non-string values, error in handlers
local function lvl1() error("level one") end
local function lvl2() error("level two", 2) end
local function lvl0() error("no position", 0) end
local function caller() lvl2() end
print(pcall(lvl1)) print(pcall(caller)) print(pcall(lvl0))
print(pcall(error)) print(pcall(error, nil)) print(pcall(error, 42)) print(pcall(error, { 1, 2 }) )
print(select("#", pcall(error)))
print(pcall(function() local x = nil return x.field end))
print(pcall(function() return 1 + {} end))
print(pcall(function() return #5 end))
print(pcall(function() return ("x") < 1 end))
print(pcall(function() local t = setmetatable({}, { __index = function(t, k) error("no key " .. k) end }) return t.foo end))
print(pcall(string.rep, "x", -1), pcall(string.format, "%d", 1.5))
print(pcall(math.floor, "a"))
print(pcall(setmetatable, 1, {}))
print(xpcall(lvl1, function(m) return "handled: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
print(xpcall(lvl1, function(m) error("again") end))
print(pcall(pcall)) print(pcall(pcall, error, "x"))
local ok, e = pcall(error, setmetatable({}, { __tostring = function() return "custom error object" end }))
print(ok, tostring(e))
print(select(2, pcall(load, "x = ")), load("x = = 1"))
print(load("return 1 +")) print(load("return ...", "chunk")(7, 8))
local f = load("local a <const> = 5; return a * 2") print(f())
print(pcall(load("local a <const> = 5; a = 6")))
print(load("local a <const> = 5; a = 6"))
do
  local log = {}
  do
    local x <close> = setmetatable({}, { __close = function(_, err) log[#log + 1] = "closed:" .. tostring(err) end })
    log[#log + 1] = "body"
  end
  print(pcall(function()
    local y <close> = setmetatable({}, { __close = function(_, err) log[#log + 1] = "closed2:" .. tostring(err) end })
    error("boom", 0)
  end))
  print(table.concat(log, " "))
end
print(pcall(assert, false)) print(pcall(assert, nil, "assert message")) print(assert(1, 2))
print(pcall(error, "msg", 3))
local function deep(n) if n == 0 then error("deep error") end return deep(n - 1) end
print(pcall(deep, 50))
print(string.format("%s", select(2, pcall(function() error() end))))
print(tostring(nil), tostring(true), rawequal("a", "a"), rawlen({ 1, 2 }), next({}))
