-- strings: the string library and string.format with integers and floats
local s = "Hello, BlueKernel!"
print(#s, s:upper(), s:lower(), s:rep(2, "|"), s:reverse())
print(s:sub(1, 5), s:sub(-7), s:sub(8, -2), s:byte(1, 3))
print(string.char(76, 117, 97), ("x"):rep(0) == "")
print(s:find("Blue"), s:find("b", 1, true), s:find("(%u)(%l+)"))
print(s:match("(%a+), (%a+)"), s:gsub("e", "E"))
print(("one two  three"):gsub("%s+", "_"))
for w in ("alpha beta gamma"):gmatch("%a+") do io.write(w, ";") end print()
print(("key=val; k2=v2"):gsub("(%w+)=(%w+)", "%2=%1"))
print(("abc"):gsub("%w", { a = "1", b = false }), ("hello world"):gsub("o", "0", 1))
print(("%d %5d %-5d| %05d %x %X %o %c %q"):format(42, 42, 42, 42, 255, 255, 8, 65, "a\n\"b\"\0"))
print(string.format("%s %10s %-10s|%.3s", "str", "right", "left", "truncate"))
print(string.format("%q", 1/3), string.format("%q", math.mininteger), string.format("%q", 2^63))
print(string.format("%i %u", -7, 7))
-- floats
-- (the edges where printf implementations differ -- digits past the 17th, %.0f ties,
-- subnormals -- are in floatfmt.lua, case format-float-edges)
local floats = { 0.0, -0.0, 1.0, -1.5, 0.1, 1/3, 2/3, 3.14159265358979, 1e15, 1e16, 1e17,
                 123456789.125, 1e-5, 1e-300, 2^-1022, 2^53, 2^52 + 0.5, -2^52, 1e308 * 10, -(1e308 * 10) }
for _, x in ipairs(floats) do
  print(x, string.format("%g|%.14g|%5.2f|%e|%.3e|%10.4f|%-12g|%+g", x, x, x, x, x, x, x, x))
end
print(string.format("%.0f %.1f %.2f %.3f", 0.75, 0.375, 1.125, 2.0625))
print(string.format("%.0f %.0f %.0f %.0f", 1.5, 2.5, 3.5, -1.5))
print(string.format("%.16g", 0.1), string.format("%.16g", 1/3), string.format("%.15g", 2^63))
print(string.format("%g %g %g %g", 100000, 1000000, 1e-4, 1e-5))
print(string.format("%#g %#x %#o", 1.0, 255, 8))
print(tostring(1e15), tostring(1e100), tostring(-0.0), tostring(0/0) == tostring(0/0))
print(10 // 3, 10.0 / 4, 7 / 7, 3 | 0, 2^2, 10 % 3.5)
-- conversions
print(tonumber("0x10"), tonumber("  12  "), tonumber("1e2"), tonumber("0x1p4"), tonumber("z", 36))
print(tonumber("10", 2), tonumber("ff", 16), tonumber(""), tonumber("1e"), tonumber("0x1p-2"))
print(math.tointeger(3.0), math.tointeger(3.5), 3 == 3.0, math.type(1), math.type(1.0), math.type("1"))
print("10" + 5, "3" * "4", 10 .. 20, "0x10" + 0, "1e1" + 0)
print(string.rep("ab", 3, ","), ("x"):len(), #"\u{48}\u{49}", utf8.char(72, 228, 8364, 128512))
print(utf8.len("häll€"), utf8.codepoint("€", 1), utf8.offset("häll€", 3))
for p, c in utf8.codes("aé€") do io.write(p, ":", c, " ") end print()
print(string.pack(">I4", 0x01020304):byte(1, -1))
print(string.unpack("<i2 >i2", "\1\2\1\2"), string.packsize("i4i8"))
print(table.concat({ 1, 2, 3, "x", 4.5 }, ", "), select("#", 1, nil, 3), select(-1, 1, 2, 3))
