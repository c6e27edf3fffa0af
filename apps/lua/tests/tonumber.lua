-- string -> number conversions (Lua's lexer and tonumber; floats go through the C library's
-- strtod): odd forms that must be rejected, hex floats, rounding, subnormals, overflow
local probes = {
  "0x", "0X", "0x.", "0x.p1", "0xp1", "0x1p", "0x1p+", "1e", "1e+", "1e-", ".", "-.", "+",
  "0x1P-1074", "0x1p-1075", "0x1.8p1", "0xA.8", "0x.1", "  0x10  ", "-0x10", "0x7fffffffffffffff",
  "0xffffffffffffffff", "0x10000000000000000", "1e-400", "1e400", "-1e400", "2.4703282292062328e-324",
  "2.4703282292062327e-324", "4.9406564584124654e-324", "2.2250738585072011e-308",
  "9007199254740993", "9007199254740993.0", "0.1e1", "1.e2", ".5e-1", "123456789012345678901234567890",
  "1.7976931348623157e308", "1.7976931348623159e308", "inf", "nan", "infinity", "0x1e", "1_000",
  "0b101", "1.5.2", "1e5.5", " 12 ", "12 34", "\t\n42\v\f\r", "- 1", "--1", "0x-1",
}
for _, s in ipairs(probes) do
  local n = tonumber(s)
  print(string.format("%-28s", string.format("%q", s)), math.type(n), n and string.format("%a", n) or "nil")
end
print(0x1p-1074 == 2^-1074, 4.9406564584124654e-324 == 2^-1074, 2.2250738585072014e-308 == 2^-1022)
print(math.tointeger("0x10"), tonumber("10", 16), tonumber("zz", 36), tonumber("8", 8), tonumber("7fffffffffffffff", 16))
