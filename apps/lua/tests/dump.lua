-- string.dump and load of binary chunks: the dump format (header sizes of Instruction, lua_Integer,
-- lua_Number; constants; debug info) is the same on 32- and 64-bit builds, so the bytes written
-- to chunk.luac are compared with the host's
local function f(a, b)
  local t = { a, b, 3.5, "const", 2^62 | 0, -0.0 }
  for i = 1, #t do if type(t[i]) == "number" then t[i] = t[i] * 2 end end
  return table.concat(t, ","), select("#", a, b)
end
local chunk = string.dump(f)
local stripped = string.dump(f, true)
print(#chunk > #stripped, chunk:sub(1, 4) == "\27Lua", chunk:byte(5), chunk:byte(6))
local out = assert(io.open("chunk.luac", "wb")) out:write(chunk) out:close()
out = assert(io.open("stripped.luac", "wb")) out:write(stripped) out:close()
local g = assert(load(chunk, "=dumped", "b"))
print(g(1, 2))
print(assert(load(stripped, "=stripped", "b"))(10, 20))
print(load(chunk, "=text only", "t"))
print(load("\27Lua garbage", "=bad"))
local h = assert(loadfile("chunk.luac"))
print(h(7, 8))
-- a chunk written by a script, then run from the file with dofile
out = assert(io.open("gen.lua", "w"))
out:write("local n = ... or 5\nlocal s = 0\nfor i = 1, 10 do s = s + i * i end\nreturn s, 'generated'\n")
out:close()
print(dofile("gen.lua"))
print(pcall(dofile, "no-such-file.lua"))
