-- os.exit with a status, after buffered output (flushed by exit)
io.write("buffered without newline")
local code = tonumber(arg[1]) or 3
if arg[2] == "bool" then os.exit(code == 0, true) end
os.exit(code, true)
