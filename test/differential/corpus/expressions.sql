-- CASE, COALESCE, NULLIF, GREATEST, LEAST.
SELECT CASE WHEN status >= 500 THEN 'server' WHEN status >= 400 THEN 'client' ELSE 'ok' END AS class, count(*) FROM events GROUP BY 1;
SELECT CASE device WHEN 'mobile' THEN 'M' WHEN 'tablet' THEN 'T' ELSE 'D' END AS d, count(*) FROM events GROUP BY 1;
SELECT CASE WHEN coupon IS NULL THEN 'none' END AS c, count(*) FROM orders GROUP BY 1;
SELECT CASE status WHEN 'placed' THEN 1 WHEN 'shipped' THEN 2 END AS s, count(*) FROM orders GROUP BY 1;
SELECT sum(CASE WHEN device = 'mobile' THEN bytes ELSE 0 END) AS mobile_bytes FROM events;
SELECT COALESCE(country, 'Unknown') AS country, count(*) FROM events GROUP BY 1;
SELECT COALESCE(referrer, '(none)') AS r, count(*) FROM events GROUP BY 1;
SELECT COALESCE(coupon, status) AS c, count(*) FROM orders GROUP BY 1;
SELECT COALESCE(latency_ms, 0) AS l FROM events WHERE user_id = 'u0005';
SELECT NULLIF(referrer, '') AS r, count(*) FROM events GROUP BY 1;
SELECT NULLIF(status, 200) AS s, count(*) FROM events GROUP BY 1;
SELECT count(NULLIF(country, 'France')) AS c FROM events;
SELECT sum(bytes) / NULLIF(count(*), 0) AS per FROM events;
SELECT GREATEST(quantity, 10) AS g, count(*) FROM orders GROUP BY 1;
SELECT LEAST(quantity, 5) AS l, count(*) FROM orders GROUP BY 1;
SELECT GREATEST(amount, 100.5) AS g FROM orders WHERE order_id < 20;
SELECT LEAST(status, 300, 250) AS l, count(*) FROM events GROUP BY 1;
SELECT GREATEST(latency_ms, 10) AS g FROM events WHERE user_id = 'u0006';
SELECT GREATEST('a', 'b') AS g, LEAST(1, 2, 3) AS l;
SELECT CASE WHEN latency_ms IS NULL THEN -1 ELSE round(latency_ms) END AS l FROM events WHERE user_id = 'u0007';
SELECT CASE WHEN referrer IS NULL THEN 'null' WHEN referrer = '' THEN 'empty' ELSE 'set' END AS r, count(*) FROM events GROUP BY 1;
SELECT count(CASE WHEN is_bot = 1 THEN 1 END) AS bots FROM events;
-- Casts from boolean: Druid refuses CAST(boolean AS INTEGER); PostgreSQL gives 1/0 and 'true'/'false'.
SELECT device, bool_or(status >= 500)::int AS any_error, bool_and(bytes > 0)::integer AS all_bytes FROM events GROUP BY device ORDER BY device;
SELECT (status = 404)::text AS missing, count(*) FROM events GROUP BY 1 ORDER BY 1;
