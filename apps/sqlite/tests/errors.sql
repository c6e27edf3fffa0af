CREATE TABLE t(x);
INSERT INTO t VALUES (1);
SELECT x FROM t;
SELECT * FROM no_such_table;
SELECT 'not reached';
