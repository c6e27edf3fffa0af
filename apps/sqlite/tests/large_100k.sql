-- A larger file database: 100,000 rows (a 5.6 MB database) in one transaction, an index over
-- them, aggregates, an update of a tenth of the rows and SQLite's consistency check.
CREATE TABLE big(id INTEGER PRIMARY KEY, k INTEGER, s TEXT);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<100000)
INSERT INTO big(k, s) SELECT (i * 7919) % 100003, printf('%032d', i * 31) FROM n;
COMMIT;
CREATE INDEX big_k ON big(k);
SELECT count(*), sum(k), min(s), max(s) FROM big;
SELECT k, s FROM big WHERE k BETWEEN 5000 AND 5005 ORDER BY k;
UPDATE big SET s = upper(hex(k)) WHERE id % 10 = 0;
SELECT count(*), count(DISTINCT s) FROM big WHERE id % 10 = 0;
SELECT k % 7 AS g, count(*), max(id) FROM big GROUP BY g ORDER BY g;
PRAGMA page_count;
PRAGMA integrity_check;
