-- 1,000 INSERT statements in one transaction: the shell writes them to a file (.output) from a
-- recursive CTE, then reads the file back (.read) between BEGIN and COMMIT.
CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL, grp INTEGER, price REAL, qty INTEGER);
CREATE TABLE grp(id INTEGER PRIMARY KEY, label TEXT);
INSERT INTO grp VALUES (0,'zero'),(1,'one'),(2,'two'),(3,'three'),(4,'four'),(5,'five'),(6,'six');
.output inserts.sql
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<1000)
SELECT printf('INSERT INTO item(name,grp,price,qty) VALUES(''item-%04d'',%d,%d.%02d,%d);',
              i, (i*7)%11, (i*37)%500, (i*13)%100, (i*i)%97) FROM n;
.output stdout
BEGIN;
.read inserts.sql
COMMIT;
SELECT count(*), sum(qty), min(price), max(price), total(price) FROM item;
SELECT printf('%.4f', avg(price)), printf('%.4f', avg(qty)) FROM item;
.headers on
.mode column
SELECT grp, count(*) AS n, sum(qty) AS q, printf('%.2f', sum(price)) AS total,
       min(name) AS first, max(name) AS last
  FROM item GROUP BY grp HAVING count(*) > 80 ORDER BY n DESC, grp;
SELECT g.label, count(i.id) AS n, printf('%.2f', coalesce(sum(i.price*i.qty),0)) AS value
  FROM grp g LEFT JOIN item i ON i.grp = g.id GROUP BY g.id ORDER BY g.id;
SELECT i.grp, g.label, count(*) AS n FROM item i JOIN grp g USING(id) GROUP BY i.grp ORDER BY 1 LIMIT 5;
SELECT a.name, b.name, a.qty + b.qty AS s FROM item a JOIN item b ON b.id = a.id + 500
 WHERE a.qty = b.qty ORDER BY a.id LIMIT 8;
SELECT name, qty, rank() OVER (ORDER BY qty DESC, id) AS r,
       sum(qty) OVER (PARTITION BY grp ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS w
  FROM item WHERE id % 97 = 0 ORDER BY id;
SELECT count(*) FROM item WHERE name LIKE 'item-09%';
SELECT count(DISTINCT qty), group_concat(DISTINCT grp) FROM item WHERE id < 50;
CREATE INDEX item_grp ON item(grp, qty);
EXPLAIN QUERY PLAN SELECT * FROM item WHERE grp = 3 AND qty > 50;
SELECT count(*), sum(qty) FROM item WHERE grp = 3 AND qty > 50;
DELETE FROM item WHERE id % 3 = 0;
UPDATE item SET price = price * 2 WHERE grp = 5;
SELECT count(*), printf('%.2f', sum(price)) FROM item;
PRAGMA integrity_check;
