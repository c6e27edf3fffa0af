-- The shell's file functions: writefile(), readfile(), the fsdir table (stat, readdir, mkdir)
-- and .output/.read round trips. Only the directory's mode is shown: files are created with
-- the default mode, which the process umask decides (see README.md).
SELECT writefile('hello.txt', 'Hello from SQLite' || char(10));
SELECT writefile('blob.bin', zeroblob(3000));
SELECT writefile('sub', NULL, 16877);
SELECT writefile('sub/inner.txt', 'inner');
SELECT writefile('deep/er/file.txt', 'made its folders');
SELECT length(readfile('hello.txt')), readfile('hello.txt'), length(readfile('blob.bin'));
SELECT name, CASE WHEN mode & 16384 THEN printf('dir %o', mode & 511) ELSE 'file' END,
       length(data) FROM fsdir('.') WHERE name <> '.' ORDER BY name;
SELECT readfile('no-such-file') IS NULL, readfile('deep/er/file.txt');
.output gen.sql
SELECT 'SELECT ' || quote(readfile('sub/inner.txt')) || ' AS again;';
.output
.read gen.sql
.sha3sum
