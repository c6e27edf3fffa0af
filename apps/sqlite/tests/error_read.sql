SELECT 1;
.read missing-file.sql
SELECT 2;
