-- the arg table and ... of a script run with arguments
print("script", arg[0], #arg, arg[-1] ~= nil)
for i = 1, #arg do print(i, arg[i], math.type(tonumber(arg[i]))) end
print(select("#", ...), ...)
