-- EXPLAIN: the plan text differs by engine; the comparison checks the shape (see differential.test.ts).
EXPLAIN SELECT count(*) FROM events;
EXPLAIN SELECT country, count(*) FROM events GROUP BY country;
EXPLAIN SELECT * FROM orders WHERE __time >= '2025-09-01' ORDER BY __time LIMIT 5;
