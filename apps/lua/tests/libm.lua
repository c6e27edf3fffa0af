-- libm: the C library's math functions behind math.*, checked against glibc's results (the
-- table below: the host's values, written with %a) to within 1 ulp. Bit-for-bit equality is not
-- required of a libm; README.md lists where picolibc's differ from glibc's by one ulp.
local args = { 0.5, 1, 2, 3, 10, 0.1, 100.25, 1e-10, 1e10, -0.75 }
local fns = {
  { "sin", math.sin }, { "cos", math.cos }, { "tan", math.tan },
  { "asin", function(x) return math.asin(x / 1e11 % 1) end },
  { "acos", function(x) return math.acos(x / 1e11 % 1) end },
  { "atan", math.atan }, { "atan2", function(x) return math.atan(x, 3) end },
  { "exp", math.exp }, { "log", function(x) return math.log(math.abs(x)) end },
  { "log2", function(x) return math.log(math.abs(x), 2) end },
  { "log10", function(x) return math.log(math.abs(x), 10) end },
  { "sqrt", function(x) return math.sqrt(math.abs(x)) end },
  { "pow", function(x) return math.abs(x) ^ 1.5 end },
  { "fmod", function(x) return math.fmod(x, 0.3) end },
  { "floor", math.floor }, { "ceil", math.ceil },
}
local glibc = {
  sin = "0x1.eaee8744b05fp-2 0x1.aed548f090ceep-1 0x1.d18f6ead1b446p-1 0x1.210386db6d55bp-3 -0x1.1689ef5f34f52p-1 0x1.98eaecb8bcb2cp-4 -0x1.1bf00980dc35cp-2 0x1.b7cdfd9d7bdbbp-34 -0x1.f334c7896a4e3p-2 -0x1.5cffc16bf8f0dp-1",
  cos = "0x1.c1528065b7d5p-1 0x1.14a280fb5068cp-1 -0x1.aa22657537205p-2 -0x1.fae04be85e5d2p-1 -0x1.ad9ac890c6b1fp-1 0x1.fd712f9a817c1p-1 0x1.ebec72ba6b0ecp-1 0x1p+0 0x1.bf098901c931ap-1 0x1.769fec655211fp-1",
  tan = "0x1.17b4f5bf3474ap-1 0x1.8eb245cbee3a6p+0 -0x1.17af62e0950f8p+1 -0x1.23ef71254b86fp-3 0x1.4bf5f34be3782p-1 0x1.9af8877430b8p-4 -0x1.278694556d18fp-2 0x1.b7cdfd9d7bdbbp-34 -0x1.1de000f443f5p-1 -0x1.dcfa36110eeecp-1",
  asin = "0x1.5fd7fe1796495p-38 0x1.5fd7fe1796495p-37 0x1.5fd7fe1796495p-36 0x1.07e1fe91b0b7p-35 0x1.b7cdfd9d7bdbbp-34 0x1.19799812dea11p-40 0x1.1390aa8179347p-30 0x1.2e3b40a0e9b5p-70 0x1.9a49276037884p-4 0x1.921f7449ec6b4p+0",
  acos = "0x1.921fb5443d522p+0 0x1.921fb54437d2cp+0 0x1.921fb5442cd4p+0 0x1.921fb54421d54p+0 0x1.921fb543d4dep+0 0x1.921fb54441b81p+0 0x1.921fb53ff48eep+0 0x1.921fb54442d18p+0 0x1.787b22ce3f59p+0 0x1.03e9599919633p-18",
  atan = "0x1.dac670561bb4fp-2 0x1.921fb54442d18p-1 0x1.1b6e192ebbe44p+0 0x1.3fc176b7a856p+0 0x1.789bd2c160054p+0 0x1.983e282e2cc4dp-4 0x1.8f92010a9ab6dp+0 0x1.b7cdfd9d7bdbbp-34 0x1.921fb543d4dep+0 -0x1.4978fa3269ee1p-1",
  atan2 = "0x1.52397843c9addp-3 0x1.4978fa3269ee1p-2 0x1.2d0ead6066395p-1 0x1.921fb54442d18p-1 0x1.4782cbabc8157p+0 0x1.10f7317226afdp-5 0x1.8a771dba44819p+0 0x1.2533fe68fd3d2p-35 0x1.921fb542f8f7p+0 -0x1.f5b75f92c80ddp-3",
  exp = "0x1.a61298e1e069cp+0 0x1.5bf0a8b145769p+1 0x1.d8e64b8d4ddaep+2 0x1.415e5bf6fb106p+4 0x1.5829dcf95056p+14 0x1.1aec7b35a00d4p+0 0x1.8c39b9134bac4p+144 0x1.000000006df38p+0 inf 0x1.e3b40ebefcd7ep-2",
  log = "-0x1.62e42fefa39efp-1 0x0p+0 0x1.62e42fefa39efp-1 0x1.193ea7aad030bp+0 0x1.26bb1bbb55516p+1 -0x1.26bb1bbb55515p+1 0x1.26e404680832p+2 -0x1.7069e2aa2aa5bp+4 0x1.7069e2aa2aa5bp+4 -0x1.269621134db92p-2",
  log2 = "-0x1p+0 0x0p+0 0x1p+0 0x1.95c01a39fbd68p+0 0x1.a934f0979a371p+1 -0x1.a934f0979a371p+1 0x1.a96ff577c92f3p+2 -0x1.09c1165ec0627p+5 0x1.09c1165ec0627p+5 -0x1.a8ff971810a5ep-2",
  log10 = "-0x1.34413509f79ffp-2 0x0p+0 0x1.34413509f79ffp-2 0x1.e8927964fd5fdp-2 0x1p+0 -0x1p+0 0x1.0023887317de9p+1 -0x1.4p+3 0x1.4p+3 -0x1.ffbfc2bbc7802p-4",
  sqrt = "0x1.6a09e667f3bcdp-1 0x1p+0 0x1.6a09e667f3bcdp+0 0x1.bb67ae8584caap+0 0x1.94c583ada5b53p+1 0x1.43d136248490fp-2 0x1.4066560954a8fp+3 0x1.4f8b588e368f1p-17 0x1.86ap+16 0x1.bb67ae8584caap-1",
  pow = "0x1.6a09e667f3bcdp-2 0x1p+0 0x1.6a09e667f3bcdp+1 0x1.4c8dc2e42398p+2 0x1.f9f6e4990f227p+4 0x1.030dc4ea03a73p-5 0x1.f5e04cc49d9c9p+9 0x1.203af9ee75616p-50 0x1.c6bf52634p+49 0x1.4c8dc2e42398p-1",
  fmod = "0x1.999999999999ap-3 0x1.999999999999cp-4 0x1.999999999999cp-3 0x1p-53 0x1.99999999999b4p-4 0x1.999999999999ap-4 0x1.9999999999bbp-5 0x1.b7cdfd9d7bdbbp-34 0x1.9999fcf0ea444p-4 -0x1.3333333333334p-3",
  floor = "0x0p+0 0x1p+0 0x1p+1 0x1.8p+1 0x1.4p+3 0x0p+0 0x1.9p+6 0x0p+0 0x1.2a05f2p+33 -0x1p+0",
  ceil = "0x1p+0 0x1p+0 0x1p+1 0x1.8p+1 0x1.4p+3 0x1p+0 0x1.94p+6 0x1p+0 0x1.2a05f2p+33 0x0p+0",
}

-- distance in units in the last place between two finite doubles of the same sign
local function ulps(a, b)
  if a == b then return 0 end
  if a ~= a or b ~= b or math.abs(a) == math.huge or math.abs(b) == math.huge then return math.huge end
  local ia = string.unpack("<i8", string.pack("<d", a))
  local ib = string.unpack("<i8", string.pack("<d", b))
  return math.abs(ia - ib)
end
local worst = 0
for _, f in ipairs(fns) do
  local want, bad = {}, {}
  for hex in glibc[f[1]]:gmatch("%S+") do want[#want + 1] = tonumber(hex) or (hex:sub(1, 1) == "-" and -math.huge or math.huge) end
  for i, x in ipairs(args) do
    local got = f[2](x) + 0.0
    local d = ulps(got, want[i])
    worst = math.max(worst, d)
    if d > 1 then bad[#bad + 1] = string.format("%s(%g) = %a, glibc %a", f[1], x, got, want[i]) end
  end
  print(f[1], #want == #args, #bad == 0 and "within 1 ulp" or table.concat(bad, "; "))
end
print("worst <= 1 ulp", worst <= 1)
print(string.format("%a", math.sin(1)), math.sin(1) == 0x1.aed548f090ceep-1)
