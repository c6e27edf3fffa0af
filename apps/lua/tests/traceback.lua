-- a runtime error: lua prints the message and a traceback on stderr and exits with 1
local function inner(t) return t.missing.field end
local function middle(t) return inner(t) + 1 end
function outer() return middle({}) end
print("before the error")
io.stdout:flush()
outer()
print("never printed")
