-- Memory-mapped I/O requested for the database file (PRAGMA mmap_size). Where mmap() of the
-- file fails SQLite falls back to read()/write() on its own: the results are the same.
PRAGMA mmap_size = 4194304;
CREATE TABLE m(i INTEGER PRIMARY KEY, t TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<3000)
INSERT INTO m SELECT i, printf('text %d %s', i, hex(i * 12345)) FROM n;
SELECT count(*), sum(length(t)), max(t) FROM m;
UPDATE m SET t = t || '!' WHERE i % 5 = 0;
SELECT count(*) FROM m WHERE t LIKE '%!';
PRAGMA integrity_check;
