-- a module found through package.path ("./?.lua") by require and by lua -l
local M = {}
M.loaded_as = ...
function M.greet(who) return "hello, " .. who end
greeting_global = "set by mod"
return M
