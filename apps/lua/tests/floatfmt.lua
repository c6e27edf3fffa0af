-- string.format and tostring of floats at the edges where C printf implementations differ:
-- digits past the 17th significant one, %.0f ties, subnormals, precision above 17. One line per
-- conversion, labelled, so the recipe's masks can name exactly the printf-dependent ones
-- (README.md lists them). The values themselves are checked bit for bit with %a (exact on both).
local cases = {
  { "%.2f", 1e100 }, { "%.2f", 2^63 }, { "%.2f", -2^63 }, { "%.0f", 2^64 }, { "%.3f", 1e22 },
  { "%.0f", 1e23 }, { "%f", 2^53 + 1 }, { "%.1f", 123456789012345678 },
  { "%.0f", 0.5 }, { "%.0f", -0.5 }, { "%.0f", 1.5 }, { "%.0f", 2.5 }, { "%.1f", 0.25 },
  { "%.1f", 0.35 }, { "%.2f", 1.005 }, { "%.0f", 0.49999999999999994 },
  { "%.14g", 2^-1074 }, { "%g", 2^-1074 }, { "%e", 2^-1074 }, { "%.3e", 2^-1074 },
  { "%.14g", 1e-320 }, { "%.14g", 2^-1022 / 3 }, { "%.17g", 2^-1074 }, { "%.14g", 2^-1022 },
  { "%.17g", 0.1 }, { "%.17g", 1/3 }, { "%.17g", 2/3 }, { "%.17g", 1 - 2^-53 }, { "%.20g", 0.1 },
  { "%.17g", 1e23 }, { "%.17g", math.pi }, { "%.25e", 1/3 }, { "%.16e", 0.1 }, { "%.18g", 2^60 + 1.0 },
  { "%.14g", 0.1 }, { "%.14g", 1/3 }, { "%.14g", 123456.789e3 }, { "%g", 1e-5 }, { "%g", 123456789 },
  { "%10.3f", -1.0005 }, { "%+.3e", 12345.6789 }, { "%#.0f", 3.0 }, { "%#.3g", 1.0 }, { "%-9.2f|", 2.345 },
}
for _, c in ipairs(cases) do
  print(string.format("%-6s %-24a %s", c[1], c[2], string.format(c[1], c[2])))
end
-- tostring (Lua's "%.14g") of the same edges, and the exactness of the values behind them
print("tostring", 2^-1074, 1e-320, 2^-1022 / 3, 2^63, 1e100, -2^-1074)
print("values", 2^-1074 == 4.9406564584124654e-324, 1e-320 == 0x0.00000000007e8p-1022, 0.1 + 0.2 == 0.30000000000000004)
