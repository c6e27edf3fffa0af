-- First run: a file database, written and closed (compare_files: test.db, byte for byte).
PRAGMA page_size = 4096;
PRAGMA journal_mode = DELETE;
CREATE TABLE author(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, born INTEGER);
CREATE TABLE book(id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author(id),
                  title TEXT NOT NULL, year INTEGER, pages INTEGER, rating REAL);
CREATE INDEX book_year ON book(year);
CREATE VIEW book_list AS
  SELECT a.name AS author, b.title, b.year FROM book b JOIN author a ON a.id = b.author_id;
CREATE TABLE log(at INTEGER PRIMARY KEY, what TEXT);
CREATE TRIGGER book_ins AFTER INSERT ON book BEGIN
  INSERT INTO log(what) VALUES ('added ' || new.title);
END;
BEGIN;
INSERT INTO author VALUES (1,'Austen',1775),(2,'Tolstoy',1828),(3,'Woolf',1882),(4,'Borges',1899);
INSERT INTO book(author_id,title,year,pages,rating) VALUES
  (1,'Pride and Prejudice',1813,432,4.25),(1,'Emma',1815,474,4.0),
  (2,'War and Peace',1869,1225,4.5),(2,'Anna Karenina',1878,864,4.375),
  (3,'Mrs Dalloway',1925,194,3.75),(3,'To the Lighthouse',1927,209,3.875),
  (4,'Ficciones',1944,174,4.5),(4,'El Aleph',1949,146,4.125);
COMMIT;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<300)
INSERT INTO book(author_id,title,year,pages,rating)
  SELECT 1 + i % 4, 'Volume ' || i, 1800 + i % 150, 100 + (i * 17) % 900, (i % 9) / 2.0 FROM n;
COMMIT;
SELECT count(*), sum(pages), printf('%.3f', avg(rating)) FROM book;
SELECT * FROM book_list WHERE year < 1900 ORDER BY year LIMIT 5;
SELECT count(*) FROM log;
PRAGMA integrity_check;
PRAGMA page_count;
PRAGMA freelist_count;
