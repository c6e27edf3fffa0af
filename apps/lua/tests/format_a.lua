-- string.format("%a"): hexadecimal floats (C99 printf %a)
for _, x in ipairs({ 1.0, 0.5, -2.75, 0.1, 1/3, 2^53, 2^-1074, 1e308, 0.0 }) do
  print(string.format("%a %A %.3a", x, x, x))
end
print(tonumber(string.format("%a", 0.1)) == 0.1)
