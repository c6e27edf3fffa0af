-- String functions.
SELECT upper('hello World'), lower('ÀB Cd'), length('héllo'), octet_length('héllo');
SELECT substr('abcdefgh', 3, 4), substr('abcdefgh', -3), substr('héllo', 2, 2);
SELECT replace('a-b-c-d', '-', '+'), instr('hello world', 'o w'), trim('  x y  ') || '|';
SELECT ltrim('xxabcxx', 'x'), rtrim('xxabcxx', 'x'), trim('--a--', '-');
SELECT hex('BlueOS'), quote('it''s'), quote(x'00ff'), char(72, 105, 0x263A), unicode('☺');
SELECT 'abc' LIKE 'A%', 'abc' GLOB 'A*', 'abc' GLOB 'a[a-c]?', 'x_y' LIKE 'x\_y' ESCAPE '\';
SELECT group_concat(v, ', ') FROM (SELECT 'b' AS v UNION ALL SELECT 'a' UNION ALL SELECT 'c');
SELECT printf('%5s|%-5s|%.2s|%q|%Q|%w', 'ab', 'cd', 'xyz', 'o''k', 'x', 'a"b');
SELECT printf('%d %5d %-5d| %05d %x %X %o %c %%', 42, 42, 42, 42, 255, 255, 8, 'z');
SELECT printf('%,d %lld', 1234567, 9223372036854775807), format('%s=%d', 'n', 7);
SELECT 'a' || NULL IS NULL, coalesce(NULL, 'b'), ifnull(NULL, 'c'), nullif('d', 'd') IS NULL;
SELECT soundex('Robert'), soundex('Tymczak'), likely(1), unlikely(0);
SELECT 'abc' < 'abd', 'B' < 'a', 'B' < 'a' COLLATE NOCASE, 'a ' = 'a' COLLATE RTRIM;
SELECT length(zeroblob(100)), typeof(randomblob(8)), length(randomblob(16));
SELECT json_object('a', 1, 'b', json_array(1, 2, 'x')), json_extract('{"p":{"q":[5,6]}}', '$.p.q[1]');
SELECT key, value FROM json_each('{"x":1,"y":"two","z":null}');
SELECT string, count(*) FROM (SELECT substr('mississippi', value, 1) AS string
  FROM generate_series(1, 11)) GROUP BY string ORDER BY string;
