-- Write-ahead log with exclusive locking: the wal-index in heap memory (no -shm file).
PRAGMA locking_mode = EXCLUSIVE;
PRAGMA journal_mode = WAL;
CREATE TABLE w(k INTEGER PRIMARY KEY, v TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<500)
INSERT INTO w SELECT i, printf('value %d', i * i) FROM n;
UPDATE w SET v = upper(v) WHERE k % 10 = 0;
SELECT count(*), max(v) FROM w;
PRAGMA wal_checkpoint(TRUNCATE);
PRAGMA integrity_check;
PRAGMA journal_mode = DELETE;
