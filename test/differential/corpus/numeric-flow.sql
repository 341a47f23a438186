-- Issue 18: exact numerics Druid holds as doubles (averages, variances, quotients of integers)
-- inside expressions: exact in the gateway (src/sql/translate/exact-ops.ts) or refused with 0A000
-- (src/sql/translate/numeric-flow.ts), never Druid's double.
SELECT device, avg(bytes) + 1 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(bytes) * 2 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(session_key) - 1 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, trunc(avg(bytes), 1) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT a FROM (SELECT device, avg(bytes) AS a FROM events GROUP BY 1) s ORDER BY 1;
SELECT device, avg(bytes) OVER () + 1 AS a FROM events ORDER BY 1, 2 LIMIT 3;
SELECT device, coalesce(avg(bytes), 0) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, 100 * avg(is_bot::int) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, round(avg(bytes), 2) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, round(avg(bytes)) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, round(avg(session_key), 3) AS a, trunc(avg(session_key)) AS b FROM events GROUP BY 1 ORDER BY 1;
SELECT device, round(avg(bytes), -2) AS a, trunc(avg(bytes), -3) AS b, round(avg(bytes), 25) AS c FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(bytes)::int AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(bytes)::float8 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, sum(bytes) / count(*) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(bytes) > 1000 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(session_key) AS a FROM events GROUP BY 1 ORDER BY avg(session_key);
SELECT device FROM events GROUP BY 1 ORDER BY avg(session_key);
SELECT device FROM events GROUP BY 1 ORDER BY avg(bytes) DESC LIMIT 2;
SELECT device, 1 - avg(bytes) AS a, -2 * avg(latency_ms) AS b FROM events GROUP BY 1 ORDER BY 1;
SELECT device, round(avg(bytes) + 1, 2) AS a, round(avg(bytes), 2) * 3 AS b FROM events GROUP BY 1 ORDER BY 1;
SELECT device, coalesce(avg(bytes) FILTER (WHERE bytes > 1e12), 0) + 5 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT status, round(count(*) * 100.0 / 7, 2) AS a, count(*) * 1.0 / 3 + 1 AS b FROM orders GROUP BY 1 ORDER BY 1;
SELECT status, round(sum(quantity) / count(*), 1) AS a FROM orders GROUP BY 1 ORDER BY 1;
SELECT device, avg(bytes) IS NULL AS a, count(avg(bytes)) OVER () AS b FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(bytes) + avg(latency_ms) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(bytes) * 1.5 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(bytes) / 2 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, CASE WHEN avg(bytes) > 1000 THEN 'big' ELSE 'small' END AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, nullif(avg(bytes), 0) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, greatest(avg(bytes), 1) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, abs(avg(bytes)) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, count(*) FROM events GROUP BY 1 HAVING avg(bytes) > 1000 ORDER BY 1;
SELECT device, variance(bytes) + 1 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, stddev(latency_ms) * 2 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, round(stddev(bytes), 2) AS a, lag(variance(bytes)) OVER (ORDER BY device) + 1 AS b FROM events GROUP BY 1 ORDER BY 1;
SELECT avg(a) FROM (SELECT device, avg(bytes) AS a FROM events GROUP BY 1) s;
WITH t AS (SELECT device, avg(bytes) AS a FROM events GROUP BY 1) SELECT device, a FROM t ORDER BY 1;
SELECT avg(bytes) FROM events UNION ALL SELECT avg(latency_ms) FROM events;
SELECT DISTINCT avg(bytes) AS a FROM events GROUP BY device ORDER BY 1;
SELECT device FROM events GROUP BY 1 HAVING avg(bytes) > (SELECT avg(bytes) FROM events) ORDER BY 1;
SELECT device, count(*) * 1.0 / 3 > 100 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, lag(avg(bytes)) OVER (ORDER BY device) + 1 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(bytes) OVER (PARTITION BY device) * 2 AS a FROM events ORDER BY 1, 2 LIMIT 4;
SELECT device, coalesce(avg(bytes), avg(latency_ms)) AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(session_key)::float8 AS a FROM events GROUP BY 1 ORDER BY 1;
-- A sum of integers times an integer constant, divided (campaign seed 2112: printed 9907992 for 9907992.092000000000).
SELECT 8 * sum("sessionLength") / count(*) FROM "Koalas to the Max";
SELECT device, sum(bytes) * 3 / count(*) AS a, round(2 * sum(session_key) / 7, 1) AS b FROM events GROUP BY 1 ORDER BY 1;
-- An average of integers compared with an integer constant: sum OP c * count in LONG arithmetic (exact-compare.ts).
SELECT device, avg(bytes) > 1000 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, count(*) FROM events GROUP BY 1 HAVING avg(bytes) > 1000 ORDER BY 1;
SELECT device, CASE WHEN avg(bytes) > 1269370 THEN 'big' ELSE 'small' END AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, 1269371 >= avg(bytes) AS a, avg(bytes) = 1269370 AS b, avg(bytes) <> 0 AS c FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(session_key) > 0 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT device, avg(bytes) FILTER (WHERE bytes > 1e12) > 5 AS a FROM events GROUP BY 1 ORDER BY 1;
SELECT status, avg(quantity) AS a FROM orders GROUP BY 1 HAVING avg(quantity) >= 2 ORDER BY 1;
-- Found by campaigns seed 3105: a negative constant times a sum, divided; trunc/round of a sum of bigint (Druid's TRUNCATE of a LONG computes in double).
SELECT -4 * sum("sessionLength") / count(*) AS a1 FROM "Koalas to the Max";
SELECT path AS k1, user_id AS k2, trunc(sum(session_key), 1) AS a1 FROM events WHERE NOT (user_id <= 'u0650') GROUP BY 1, 2 ORDER BY 1, 2;
SELECT device, round(sum(session_key), 2) AS a, trunc(sum(bytes)) + 1 AS b, round(sum(session_key), -3) AS c FROM events GROUP BY 1 ORDER BY 1;
SELECT device, (sum(bytes) + 1) / count(*) AS a FROM events GROUP BY 1 ORDER BY 1;
