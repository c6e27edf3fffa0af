-- Second run: the database the first run wrote (the board's own file on the board, the
-- host's on the host), read and updated.
PRAGMA integrity_check;
.tables
.schema book
SELECT count(*), sum(pages), printf('%.3f', avg(rating)) FROM book;
SELECT author, count(*) AS n FROM book_list GROUP BY author ORDER BY author;
BEGIN;
UPDATE book SET rating = rating + 0.5 WHERE year BETWEEN 1850 AND 1900;
DELETE FROM book WHERE pages > 800 AND title LIKE 'Volume %';
INSERT INTO author VALUES (5,'Calvino',1923);
INSERT INTO book(author_id,title,year,pages,rating) VALUES (5,'Invisible Cities',1972,165,4.25);
COMMIT;
SELECT count(*), sum(pages), printf('%.3f', avg(rating)) FROM book;
SELECT * FROM book_list WHERE author = 'Calvino';
SELECT what FROM log ORDER BY at DESC LIMIT 2;
PRAGMA integrity_check;
PRAGMA page_count;
PRAGMA freelist_count;
