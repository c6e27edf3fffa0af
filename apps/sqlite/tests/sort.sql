-- A sort larger than the page cache: SQLite's external merge sort spills to temporary files
-- (unlinked while open) and, with PRAGMA threads, sorts in worker threads (pthreads).
PRAGMA cache_size = 20;
PRAGMA threads = 2;
PRAGMA threads;
CREATE TABLE big(a INTEGER, b TEXT, c INTEGER);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<20000)
INSERT INTO big SELECT (i * 7919) % 20011, printf('row%06d-%s', (i * 104729) % 99991, hex(i)), i FROM n;
COMMIT;
SELECT a, b FROM big ORDER BY b LIMIT 3;
SELECT a, b FROM big ORDER BY b DESC LIMIT 3;
SELECT count(*), count(DISTINCT a), count(DISTINCT b) FROM big;
CREATE INDEX big_b ON big(b);
SELECT b FROM big ORDER BY b LIMIT 2 OFFSET 10000;
SELECT a % 10 AS k, count(*), min(b), max(c) FROM big GROUP BY k ORDER BY k;
CREATE TEMP TABLE tops AS SELECT * FROM big ORDER BY a DESC LIMIT 100;
SELECT count(*), max(a) FROM temp.tops;
PRAGMA integrity_check;
