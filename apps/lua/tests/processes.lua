-- what needs a second process: os.execute (system) and io.popen (popen). The host runs a shell;
-- BlueOS runs one process, so there system(NULL) says no shell and system/popen fail (ENOSYS).
-- Either way Lua must answer with its own values, not crash: the script prints what holds on both.
print("os.execute()", type(os.execute()))
local r = table.pack(os.execute("exit 3"))
print("os.execute(cmd)", r[1], type(r[2]), math.type(r[3]), r.n)
local ok, f, msg = pcall(io.popen, "exit 0")
print("io.popen", ok, io.type(f) == "file" or (f == nil and type(msg) == "string"))
if io.type(f) == "file" then f:close() end
print("bad mode", pcall(io.popen, "exit 0", "x"))
local name = os.tmpname()
print("tmpname", type(name), io.open(name) ~= nil, os.remove(name))
