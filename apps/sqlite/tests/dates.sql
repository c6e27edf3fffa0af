-- Date and time functions with fixed values (no 'now', no 'localtime').
SELECT date('2024-02-29'), date('2024-02-29', '+1 year'), date('2023-01-31', '+1 month');
SELECT datetime(0, 'unixepoch'), datetime(1700000000, 'unixepoch'), datetime(-86400, 'unixepoch');
SELECT julianday('2000-01-01 12:00:00'), julianday('1970-01-01'), julianday('-4713-11-24 12:00:00');
SELECT strftime('%Y-%m-%d %H:%M:%f', 2460000.25), strftime('%j %w %W %s', '2023-12-31 23:59:59');
SELECT strftime('%s', '2038-01-19 03:14:08'), strftime('%s', '1901-12-13 20:45:52');
SELECT time('12:34:56.789', '+1.5 hours'), datetime('2024-03-10 01:59:59', '+1 second');
SELECT date('2024-01-01', 'weekday 0'), date('2024-05-17', 'start of month', '+1 month', '-1 day');
SELECT datetime('2024-06-15 10:00:00', '-36 hours', '+90 minutes');
SELECT julianday('2024-12-25') - julianday('2024-01-01');
SELECT unixepoch('2024-02-29 12:00:00'), datetime(1709208000.5, 'unixepoch', 'subsec');
SELECT date('1600-02-29'), date('2100-02-29'), date('9999-12-31', '+1 day');
SELECT strftime('%d/%m/%Y %H.%M', '2021-07-04T18:30:00Z'), datetime('2021-07-04T18:30:00+02:00');
SELECT typeof(date('garbage')), date('2024-13-01') IS NULL;
