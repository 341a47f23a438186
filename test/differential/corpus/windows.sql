-- Window functions.
SELECT country, count(*) AS n, rank() OVER (ORDER BY count(*) DESC) AS r FROM events WHERE country IS NOT NULL GROUP BY country;
SELECT status, sum(amount) AS s, sum(sum(amount)) OVER () AS total FROM orders GROUP BY status;
SELECT device, browser, count(*) AS n, row_number() OVER (PARTITION BY device ORDER BY count(*) DESC, browser) AS rn FROM events GROUP BY device, browser;
SELECT date_trunc('month', __time) AS m, sum(amount) AS s, sum(sum(amount)) OVER (ORDER BY date_trunc('month', __time)) AS running FROM orders GROUP BY 1;
SELECT date_trunc('month', __time) AS m, count(*) AS n, lag(count(*)) OVER (ORDER BY date_trunc('month', __time)) AS prev FROM orders GROUP BY 1;
SELECT segment, count(*) AS n, dense_rank() OVER (ORDER BY count(*)) AS d FROM customers GROUP BY segment;
SELECT order_id, amount, row_number() OVER (ORDER BY __time) AS rn FROM orders WHERE order_id <= 10;
SELECT region, count(*) AS n, count(*) * 1.0 / sum(count(*)) OVER () AS share FROM customers GROUP BY region;
SELECT device, sum(bool_or(status = 404)::int) OVER (ORDER BY device) AS w FROM events GROUP BY 1;
SELECT device, sum(stddev(bytes)) OVER (ORDER BY device) AS w FROM events GROUP BY 1;
SELECT device, sum(sum(CASE WHEN status = 404 THEN bytes ELSE 0 END)) OVER (ORDER BY device) AS w FROM events GROUP BY 1;
SELECT device, browser, sum(CASE WHEN device = 'none' THEN 1 ELSE 0 END) OVER (PARTITION BY device) AS w FROM events GROUP BY 1, 2;
SELECT region, lag(bool_or(region IN ('x', 'y'))::int) OVER (ORDER BY region) AS w FROM customers GROUP BY 1;
SELECT region, sum(count(*) FILTER (WHERE region IN ('east', 'y'))) OVER (ORDER BY region) AS w FROM customers GROUP BY 1;
SELECT region, rank() OVER (ORDER BY bool_or(__time NOT IN (TIMESTAMPTZ '2024-06-29 00:59:23.636+00', TIMESTAMPTZ '2024-06-30 00:00:00+00'))::int DESC, region) AS w FROM customers GROUP BY 1;
-- A window sum of sums of bigint: exact (it wrapped past 2^63; campaign seed 301).
SELECT __time AS k1, sum(sum(session_key)) OVER (ORDER BY __time) AS w1 FROM events GROUP BY 1 ORDER BY 1 LIMIT 8;
SELECT device, sum(sum(bytes)) OVER () AS t, sum(count(*)) OVER () AS c FROM events GROUP BY device ORDER BY 1;
-- Window keys repeating a GROUP BY key with an IN list (42601 "not being grouped"; campaign seed 301).
SELECT date_trunc('minute', __time) AS k1, CASE WHEN status NOT IN ('zzz') THEN order_id ELSE 5 END AS k2, count(quantity) AS a1, row_number() OVER (ORDER BY date_trunc('minute', __time), CASE WHEN status NOT IN ('zzz') THEN order_id ELSE 5 END) AS w1 FROM orders GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 5;
SELECT CASE WHEN status IN (301) THEN browser ELSE 'u0323' END AS k1, city AS k2, count(*) AS a1, sum(count(*)) OVER (PARTITION BY CASE WHEN status IN (301) THEN browser ELSE 'u0323' END ORDER BY city) AS w1 FROM events GROUP BY 1, 2 ORDER BY 2 DESC, 1, 4 DESC, 3 DESC NULLS FIRST LIMIT 3;
-- Window functions over exact numerics (issue 18): value functions move the exact text, window averages of integers divide exact window sums.
SELECT device, lag(avg(session_key)) OVER (ORDER BY device) AS w FROM events GROUP BY device;
SELECT device, first_value(avg(session_key)) OVER (ORDER BY device) AS w, lead(avg(bytes), 1) OVER (ORDER BY device) AS l FROM events GROUP BY device;
SELECT device, last_value(sum(session_key)) OVER (ORDER BY device) AS w, lag(sum(session_key)) OVER (ORDER BY device) AS l FROM events GROUP BY device;
SELECT device, lag(variance(bytes)) OVER (ORDER BY device) AS v, lag(stddev(bytes)) OVER (ORDER BY device) AS s FROM events GROUP BY device;
SELECT device, lag(count(*) * 1.0 / 3) OVER (ORDER BY device) AS w, lag(sum(bytes) / count(*)) OVER (ORDER BY device) AS q FROM events GROUP BY device;
SELECT device, avg(count(*)) OVER (ORDER BY device) AS w FROM events GROUP BY device;
SELECT device, avg(sum(bytes)) OVER (ORDER BY device) AS w FROM events GROUP BY device;
SELECT device, avg(session_key) OVER (PARTITION BY device) AS w FROM events WHERE bytes < 300;
SELECT device, user_id, avg(bytes) OVER (PARTITION BY device ORDER BY user_id) AS w FROM events WHERE bytes < 300 ORDER BY 3, 1, 2 LIMIT 5;
SELECT device, avg(count(*)) OVER () AS w FROM events WHERE false GROUP BY device;
SELECT device, lag(avg(bytes)) OVER (ORDER BY device) AS w FROM events WHERE bytes IS NULL GROUP BY device;
SELECT device, avg(bytes) OVER (ORDER BY device) AS w FROM events WHERE bytes IS NULL;
