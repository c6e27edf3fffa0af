-- One run: create a file database, close it (.open of another one), reopen it, read and
-- update it, close and reopen again.
.open first.db
CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<200)
INSERT INTO kv SELECT printf('key%03d', i), i * i FROM n;
.open second.db
CREATE TABLE other(x);
INSERT INTO other VALUES (1);
.open first.db
SELECT count(*), sum(v), min(k), max(k) FROM kv;
UPDATE kv SET v = -v WHERE k > 'key150';
DELETE FROM kv WHERE k < 'key010';
.open second.db
SELECT * FROM other;
.open first.db
SELECT count(*), sum(v), min(k), max(k) FROM kv;
ATTACH 'second.db' AS s2;
SELECT (SELECT count(*) FROM kv), (SELECT count(*) FROM s2.other);
DETACH s2;
PRAGMA integrity_check;
.databases
