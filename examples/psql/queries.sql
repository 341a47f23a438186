-- Example psql session against polaris-pg. Run:
--   psql "postgresql://druid@localhost:5432/druid?sslmode=prefer" -X -f queries.sql
\pset footer off
-- Stream large results through a cursor, 1000 rows at a time.
\set FETCH_COUNT 1000
SELECT device, count(*) AS views, sum(bytes) AS total_bytes FROM events GROUP BY device ORDER BY device;
SELECT date_trunc('day', __time) AS day, count(*) AS orders, round(sum(amount)) AS revenue
  FROM orders WHERE __time >= '2025-12-01' AND __time < '2025-12-04' GROUP BY 1 ORDER BY 1;
-- Mixed-case names need double quotes, as in PostgreSQL.
SELECT "continent", count(*) AS n FROM "Koalas to the Max" GROUP BY "continent" ORDER BY "continent";
