-- The shell's output modes and .import of a CSV file.
CREATE TABLE t(id INTEGER, name TEXT, score REAL, note TEXT);
INSERT INTO t VALUES (1, 'alpha', 1.5, NULL), (2, 'beta, gamma', -0.25, 'say "hi"'),
                     (3, 'δέλτα', 1e10, 'line1
line2');
.headers on
.mode csv
SELECT * FROM t;
.mode json
SELECT * FROM t;
.mode markdown
SELECT * FROM t;
.mode box
SELECT * FROM t;
.mode table
SELECT id, name FROM t;
.mode line
SELECT * FROM t WHERE id = 2;
.mode insert t2
SELECT * FROM t;
.mode quote
SELECT * FROM t;
.mode html
SELECT id, name FROM t WHERE id < 3;
.mode tabs
SELECT id, name, score FROM t;
.mode list
.separator |
.nullvalue <null>
SELECT * FROM t;
.import --csv people.csv people
SELECT count(*), sum(age), max(name) FROM people;
SELECT * FROM people ORDER BY age DESC LIMIT 3;
.schema people
.once out.csv
SELECT * FROM people WHERE age > 30 ORDER BY name;
.headers off
.mode csv
.import out.csv again
SELECT count(*) FROM again;
.show
