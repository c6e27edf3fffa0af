-- Floating point: SQL arithmetic, printf() with floats, the shell's own display, math functions.
SELECT 1.0 / 3, 2.0 / 3, 1e300 * 10, -1e300 * 1e10, 0.1 + 0.2, 1.5e-7, 123456789012345.678;
SELECT printf('%f %.2f %10.4f %-10.1f| %e %.3e %g %g %g', 3.14159265, 2.675, -1.5, 0.05,
              12345.678, 0.000123456, 100000.0, 1000000.0, 0.0001);
SELECT printf('%.15g %.16g %.15e %.0f %.0f %.0f', 0.1, 0.1, 1.0/3, 0.5, 1.5, 2.5);
SELECT printf('%+.3f % .3f %08.3f %.10f', 2.5, 2.5, -2.5, 1.0/7);
SELECT round(2.5), round(-2.5), round(3.14159, 3), round(1234.5678, -2), abs(-7.25);
SELECT CAST('3.25abc' AS REAL), CAST(7.9 AS INTEGER), CAST(-7.9 AS INTEGER), 9223372036854775807 + 1.0;
SELECT sqrt(2), pow(2, 0.5), exp(1), ln(10), log10(1000), log(2, 1024), pi();
SELECT sin(pi() / 6), cos(pi() / 3), tan(pi() / 4), atan2(1, 1), degrees(pi()), radians(180);
SELECT floor(-2.5), ceil(-2.5), trunc(2.7), mod(10.5, 3), sign(-0.0), 5 % 3, -5 % 3;
SELECT avg(x), sum(x), total(x), printf('%.6f', sum(x * x)) FROM
  (SELECT 0.1 * value AS x FROM generate_series(1, 100));
SELECT 1e-310 > 0, 1e308 * 10 = 1e999, typeof(1e999), -0.0 = 0.0, 1.0 = 1;
SELECT CAST(1e20 AS INTEGER), CAST(-1e20 AS INTEGER), CAST('0x1F' AS INTEGER), 0x7fffffff * 2;
