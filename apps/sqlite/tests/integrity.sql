-- A database churned (inserts, deletes, updates, index rebuilds, VACUUM), checked by SQLite's
-- own consistency checks after each step.
PRAGMA foreign_keys = ON;
CREATE TABLE parent(id INTEGER PRIMARY KEY, tag TEXT UNIQUE);
CREATE TABLE child(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES parent(id) ON DELETE CASCADE,
                   payload BLOB, note TEXT);
CREATE INDEX child_pid ON child(pid);
CREATE INDEX child_note ON child(note COLLATE NOCASE);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<100)
INSERT INTO parent SELECT i, 'tag' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<2000)
INSERT INTO child(pid, payload, note)
  SELECT 1 + i % 100, zeroblob(20 + i % 200), printf('Note %d %s', i, substr('abcdefghij', 1 + i % 10)) FROM n;
COMMIT;
PRAGMA integrity_check;
DELETE FROM parent WHERE id % 4 = 0;
SELECT count(*) FROM child;
PRAGMA integrity_check;
UPDATE child SET payload = zeroblob(300 + id % 700) WHERE id % 7 = 0;
PRAGMA quick_check;
UPDATE child SET payload = zeroblob(6000) WHERE id % 50 = 1;
DELETE FROM child WHERE id % 100 = 1 OR id % 14 = 0;
SELECT freelist_count > 0 FROM pragma_freelist_count;
REINDEX;
VACUUM;
PRAGMA freelist_count;
PRAGMA integrity_check;
PRAGMA foreign_key_check;
SELECT count(*), sum(length(payload)), count(DISTINCT pid) FROM child;
INSERT INTO child(pid, note) VALUES (9999, 'orphan');
SELECT changes();
PRAGMA foreign_keys = OFF;
INSERT INTO child(pid, note) VALUES (9999, 'orphan');
PRAGMA foreign_key_check;
.sha3sum
