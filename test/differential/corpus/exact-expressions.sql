-- Issue 18: expressions Druid reads differently from PostgreSQL, translated exactly.
-- Decimal constants compared with integers (PostgreSQL compares in numeric).
SELECT count(*) FROM orders WHERE order_id IN (3750.5);
SELECT count(*) FROM events WHERE bytes NOT IN (250.5);
SELECT count(*) FROM events WHERE bytes NOT IN (250.5, 250.0);
SELECT count(*) FROM orders WHERE order_id IN (3750.0, 3751.5, 12);
SELECT count(*) FROM orders WHERE order_id = ANY(ARRAY[3750.5, 3751]);
SELECT count(*) FROM orders WHERE order_id = 3750.5;
SELECT count(*) FROM orders WHERE order_id <> 3750.5;
SELECT count(*) FROM orders WHERE order_id < 3750.5;
SELECT count(*) FROM orders WHERE order_id >= 3750.5;
SELECT count(*) FROM orders WHERE 3750.5 > order_id;
SELECT count(*) FROM orders WHERE order_id <= -0.5;
SELECT count(*) FROM orders WHERE order_id BETWEEN 3749.5 AND 3751.5;
SELECT count(*) FROM orders WHERE order_id NOT BETWEEN SYMMETRIC 3751.5 AND 3749.5;
SELECT count(*) FROM orders WHERE order_id < 1e30 AND order_id > -1e30;
SELECT count(*) FROM orders WHERE quantity * 2 IN (4.5, 6.0);
SELECT order_id IN (3750.5) AS a, order_id NOT IN (3750.5) AS b, order_id = 1.5 AS c, coupon IS NULL AS d, count(*) FROM orders GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
SELECT CASE WHEN customer_id IN (7.5) THEN 'x' ELSE 'y' END AS k, count(*) FROM orders GROUP BY 1 ORDER BY 1;
-- Integer constants beyond 2^53 in range comparisons (Druid's range filter compares in double).
SELECT count(*) FROM events WHERE session_key <= 39354187425196795;
SELECT count(*) FROM events WHERE session_key < 39354187425196795;
SELECT count(*) FROM events WHERE session_key > 39354187425196795;
SELECT count(*) FROM events WHERE session_key >= 39354187425196795.5;
SELECT count(*) FROM events WHERE -session_key >= -39354187425196795;
SELECT session_key <= 39354187425196795 AS a, count(*) FROM events GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM events WHERE session_key BETWEEN 1 AND 39354187425196795;
SELECT NULLIF(session_key, 9344597764166384) NOT BETWEEN 39354187425196795 AND 4611686018427387904 AS a, session_key BETWEEN SYMMETRIC 39354187425196795 AND bytes AS b, count(*) FROM events GROUP BY 1, 2 ORDER BY 1, 2;
SELECT NULLIF(bytes, 250) IN (250.5) AS a, NULLIF(bytes, 250) NOT IN (250.5) AS b, NULLIF(bytes, 250) <> 250.5 AS c, NULLIF(bytes, 250) < 1e30 AS d, count(*) FROM events GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
-- date_trunc's zone argument as PostgreSQL reads it: POSIX offsets count hours west of UTC.
SELECT date_trunc('day', __time, '+05') AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT date_trunc('day', __time, '5') AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT date_trunc('day', __time, '-05:30') AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT date_trunc('month', __time, 'UTC+5') AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT date_trunc('day', __time, 'america/new_york') AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT date_trunc('week', __time, 'Asia/Kolkata') AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT date_trunc('day', __time, 'utc') AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;
-- GREATEST/LEAST of dates and timestamps keep the type (Druid returns epoch milliseconds).
SELECT greatest(CAST(__time AS DATE), DATE '2025-08-01') AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM orders WHERE greatest(CAST(__time AS DATE), DATE '2025-08-01') <> CAST(__time AS DATE);
SELECT least(__time, TIMESTAMPTZ '2025-08-01 00:00:00+00') AS t, order_id FROM orders ORDER BY 1 DESC, 2 LIMIT 5;
SELECT greatest(CAST(__time AS DATE), TIMESTAMPTZ '2025-08-01 10:00:00+00') AS t, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT greatest(CAST(__time AS DATE), '2025-12-30') AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT least(CAST(__time AS DATE), NULL, DATE '2025-07-02') AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT greatest(quantity, 2.5) AS q, count(*) FROM orders GROUP BY 1 ORDER BY 1;
-- Uncorrelated EXISTS (Druid has no EXISTS).
SELECT count(*) FROM orders WHERE EXISTS (SELECT 1 FROM customers);
SELECT count(*) FROM orders WHERE NOT EXISTS (SELECT segment FROM customers GROUP BY 1 HAVING count(*) > 1000);
SELECT status, EXISTS (SELECT 1 FROM customers WHERE region = 'nowhere') AS e, count(*) FROM orders GROUP BY 1, 2 ORDER BY 1;
SELECT EXISTS (SELECT 1 FROM customers) AS e, count(*) FROM orders GROUP BY 1;
-- ILIKE: literal on the left, and PostgreSQL's per-character lower() (İ, final Σ).
SELECT 'x' ILIKE 'y' AS a, 'X' ILIKE 'x' AS b, 'ΣΑΣ' ILIKE 'σας' AS c, count(*) FROM orders GROUP BY 1, 2, 3;
SELECT count(*) FROM events WHERE city ILIKE 'İ%';
SELECT count(*) FROM events WHERE city ILIKE 'iz%';
SELECT city, count(*) FROM events WHERE city NOT ILIKE '%a%' GROUP BY 1 ORDER BY 1;
-- Dates in to_char and extract (Druid's TIME_FORMAT and TIMESTAMP_TO_MILLIS take TIMESTAMP only).
SELECT to_char(CAST(__time AS DATE), 'YYYY-MM-DD HH24:MI') AS t, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT extract(epoch FROM CAST(__time AS DATE)) AS e, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT date_part('epoch', CAST(__time AS DATE)) AS e, date_part('hour', CAST(__time AS DATE)) AS h, date_part('second', CAST(__time AS DATE)) AS s, count(*) FROM orders GROUP BY 1, 2, 3 ORDER BY 1;
SELECT extract(year FROM CAST(__time AS DATE)) AS y, extract(dow FROM CAST(__time AS DATE)) AS d, extract(doy FROM CAST(__time AS DATE)) AS doy, count(*) FROM orders GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT extract(epoch FROM DATE '2025-03-09') AS e, count(*) FROM orders;
-- substring with starts below 1, empty lengths and computed starts (Druid fails on those).
SELECT substring(path, 3, 0) AS s, count(*) FROM events GROUP BY 1;
SELECT substring(path, -1, 3) AS a, substring(path, 0) AS b, substring(path, -5, 3) AS c, substring(path, 0, 2) AS d, count(*) FROM events GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
SELECT substring(path, 30, 2) AS a, substring(path, 30) AS b, count(*) FROM events GROUP BY 1, 2 ORDER BY 1, 2;
SELECT substring(path, (is_bot - 1)::int, 3) AS a, substring(path, (is_bot - 1)::int) AS b, substring(path, nullif(is_bot, 1)::int, 2) AS c, count(*) FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT substring(referrer, 1, 3) AS r, count(*) FROM events GROUP BY 1 ORDER BY 1;
-- An output named __time does not capture the time order of a scan.
SELECT CAST(date_trunc('day', __time) AS DATE) AS __time, CAST(__time AS DATE) FROM orders ORDER BY 2 LIMIT 3;
SELECT status AS __time, order_id FROM orders o ORDER BY o.__time DESC LIMIT 3;
-- CASE and COALESCE take PostgreSQL's common type (1 and 2.5 are numeric, not integers).
SELECT count(*) FROM orders WHERE CASE WHEN status = 'placed' THEN 1 ELSE 2.5 END = 2.5;
SELECT count(*) FROM orders WHERE coalesce(nullif(quantity, 1), 2.5) IN (2.5);
SELECT CASE WHEN status = 'placed' THEN quantity ELSE 0.5 END IN (0.5, 2) AS k, count(*) FROM orders GROUP BY 1 ORDER BY 1;
-- lower() as PostgreSQL's per-character mapping (Druid's LOWER: 'İzmir' -> 'i̇zmir').
SELECT lower(city) AS l, count(*) FROM events GROUP BY 1 ORDER BY 1;
SELECT lower('ΣΑΣ İ') AS l, count(*) FROM orders;
SELECT count(*) AS n FROM customers WHERE CAST(customer_id AS double precision) NOT IN (100.25, 206);
SELECT count(*) AS n FROM orders WHERE customer_id IN (SELECT customer_id FROM customers WHERE CAST(customer_id AS double precision) IN (100.25, 206));
SELECT count(*) AS n FROM customers WHERE customer_id::numeric = ANY (ARRAY[100.5, 206.0, 7]);
-- Variance and standard deviation of integers: numeric from exact sums (PostgreSQL's scale).
SELECT status, stddev(quantity) AS s, var_pop(quantity) AS p, avg(quantity) AS a FROM orders GROUP BY status ORDER BY status;
SELECT stddev(quantity) AS s, variance(quantity) FILTER (WHERE order_id < 2) AS v, stddev_pop(quantity) FILTER (WHERE order_id < 2) AS p FROM orders;
SELECT device, stddev(session_key % 1000) AS s, var_samp(status) AS v FROM events GROUP BY 1 ORDER BY 1;
SELECT c.region, stddev_pop(o.quantity) AS s FROM orders o JOIN customers c ON o.customer_id = c.customer_id GROUP BY 1 ORDER BY 1;
-- An integer times a numeric constant, divided by an integer: numeric division (PostgreSQL's scale).
SELECT status, 100.0 * count(*) / 7 AS a, count(*) * 0.5 / 3 AS b, sum(quantity) * 1.0 / count(*) AS c, count(*) * 12345.678 / 3 AS d FROM orders GROUP BY 1 ORDER BY 1;
SELECT count(*) * 1e0 / 7 AS a, count(*) * 1.5 AS b, count(*) * 1.5e1 AS c, count(*) + 0.25 AS d, 1.50 AS e, 2 * 1e-2 AS f FROM orders;
SELECT status, count(*) * 2.5e-1 / sum(quantity) AS r, sum(quantity) / sum(order_id) AS s FROM orders GROUP BY 1 ORDER BY 1;
-- avg of a CASE of numeric constants of one scale: numeric from the LONG sum of the scaled values.
SELECT device, avg(CASE WHEN status = 200 THEN 1.25 END) AS a, avg(CASE WHEN status = -1 THEN 1.0 END) AS c, avg(CASE WHEN status = 200 THEN 1 ELSE 0 END) AS d FROM events GROUP BY 1 ORDER BY 1;
SELECT avg(CASE WHEN is_bot = 1 THEN -0.5 ELSE 0.5 END) FILTER (WHERE device = 'mobile') AS f FROM events;
