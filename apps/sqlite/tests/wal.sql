-- Write-ahead log: the default shared-memory wal-index (the -shm file mapped with mmap).
PRAGMA journal_mode = WAL;
CREATE TABLE w(k INTEGER PRIMARY KEY, v TEXT);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<500)
INSERT INTO w SELECT i, printf('value %d', i * i) FROM n;
COMMIT;
UPDATE w SET v = upper(v) WHERE k % 10 = 0;
SELECT count(*), max(v) FROM w;
PRAGMA wal_checkpoint(TRUNCATE);
DELETE FROM w WHERE k > 400;
SELECT count(*) FROM w;
PRAGMA integrity_check;
PRAGMA journal_mode = DELETE;
