-- Around the DST transitions of 2025: Europe/Berlin springs forward at 2025-03-30 01:00Z and
-- falls back at 2025-10-26 01:00Z, America/New_York at 2025-03-09 07:00Z and 2025-11-02 06:00Z.
-- The suite runs every query in UTC, America/New_York and Europe/Berlin.
SELECT order_id, __time FROM orders WHERE __time BETWEEN '2025-10-26 00:00:00+00' AND '2025-10-26 01:59:59+00' ORDER BY order_id;
SELECT order_id, __time FROM orders WHERE __time >= '2025-11-02 05:00:00+00' AND __time < '2025-11-02 07:00:00+00' ORDER BY order_id;
SELECT count(*) FROM orders WHERE __time >= '2025-10-26 02:00:00' AND __time < '2025-10-26 03:00:00';
SELECT count(*) FROM orders WHERE __time >= '2025-11-02 01:00:00' AND __time < '2025-11-02 02:00:00';
SELECT count(*) FROM orders WHERE __time > timestamptz '2025-10-26 02:30:00' AND __time <= timestamp '2025-10-26 04:00:00';
SELECT count(*) FROM orders WHERE __time < '2025-03-30 02:30:00+01' OR __time >= '2025-03-09 02:30:00-05';
SELECT order_id FROM orders WHERE __time IN ('2025-11-02 01:09:36.965-05', '2025-10-26 02:00:15.275+01') ORDER BY order_id;
SELECT order_id FROM orders WHERE __time NOT BETWEEN '2025-01-01 00:00:00+00' AND '2025-10-26 01:30:00+00' AND __time < '2025-10-27 00:00:00+00' ORDER BY order_id;
SELECT date_trunc('hour', __time) AS h, count(*) FROM orders WHERE __time >= '2025-10-25 22:00:00+00' AND __time < '2025-10-26 04:00:00+00' GROUP BY 1 ORDER BY 1;
SELECT date_trunc('hour', __time) AS h, count(*) FROM orders WHERE __time >= '2025-11-02 04:00:00+00' AND __time < '2025-11-02 08:00:00+00' GROUP BY 1 ORDER BY 1;
SELECT date_trunc('day', __time) AS d, count(*) FROM orders WHERE __time >= '2025-03-28 00:00:00+00' AND __time < '2025-04-01 00:00:00+00' GROUP BY 1 ORDER BY 1;
SELECT date_trunc('day', __time) AS d, count(*) FROM orders WHERE __time >= '2025-10-24 00:00:00+00' AND __time < '2025-10-28 00:00:00+00' GROUP BY 1 ORDER BY 1;
SELECT date_trunc('week', __time) AS w, min(__time) AS first, max(__time) AS last FROM orders WHERE __time >= '2025-10-20 00:00:00+00' AND __time < '2025-11-10 00:00:00+00' GROUP BY 1 ORDER BY 1;
SELECT date_trunc('hour', __time, 'Europe/Berlin') AS h, count(*) FROM orders WHERE __time >= '2025-10-26 00:00:00+00' AND __time < '2025-10-26 03:00:00+00' GROUP BY 1 ORDER BY 1;
SELECT order_id, __time::timestamp AS wall FROM orders WHERE __time >= '2025-03-30 00:00:00+00' AND __time < '2025-03-30 02:00:00+00' ORDER BY order_id;
SELECT order_id, __time::timestamp AS wall FROM orders WHERE __time >= '2025-10-26 00:00:00+00' AND __time < '2025-10-26 02:00:00+00' ORDER BY order_id;
SELECT order_id, CAST(__time AS text) AS t, __time::timestamp::text AS w FROM orders WHERE __time >= '2025-11-02 05:00:00+00' AND __time < '2025-11-02 07:00:00+00' ORDER BY order_id;
SELECT order_id, 'at ' || __time AS t FROM orders WHERE __time >= '2025-10-26 00:00:00+00' AND __time < '2025-10-26 02:00:00+00' ORDER BY order_id;
SELECT extract(hour FROM __time) AS h, count(*) FROM orders WHERE __time >= '2025-10-26 00:00:00+00' AND __time < '2025-10-26 03:00:00+00' GROUP BY 1 ORDER BY 1;
SELECT to_char(__time, 'YYYY-MM-DD HH24:MI:SS') AS t FROM orders WHERE __time >= '2025-11-02 05:00:00+00' AND __time < '2025-11-02 07:00:00+00' ORDER BY 1;
SELECT * FROM orders WHERE __time >= '2025-10-26 00:00:00+00' AND __time < '2025-10-26 02:00:00+00' ORDER BY order_id;
SELECT min(__time) AS first, max(__time) AS last FROM orders WHERE __time >= '2025-11-02 05:30:00+00' AND __time < '2025-11-02 06:30:00+00';
SELECT __time + interval '1 hour' AS t FROM orders WHERE __time >= '2025-10-26 00:00:00+00' AND __time < '2025-10-26 02:00:00+00' ORDER BY 1;
SELECT order_id, __time + interval '1 day' AS next_day, __time - interval '1 week' AS week_before FROM orders WHERE __time >= '2025-10-25 00:00:00+00' AND __time < '2025-10-26 00:00:00+00' ORDER BY order_id;
SELECT order_id, __time + 2 * interval '1 day' AS t FROM orders WHERE __time >= '2025-11-01 00:00:00+00' AND __time < '2025-11-01 12:00:00+00' ORDER BY order_id;
SELECT count(*) FROM orders WHERE __time + interval '1 day' >= '2025-03-31 00:00:00' AND __time < '2025-04-01 00:00:00+00';
SELECT CASE WHEN __time IN (TIMESTAMPTZ '2025-10-26 02:30:00', TIMESTAMPTZ '2025-10-26 01:30:00+00') THEN country ELSE 'Indonesia' END AS k1 FROM "Koalas to the Max" GROUP BY 1;
-- Timestamp literals with a zone name: the wall clock read in that zone (repeated hour: the later instant; skipped hour: the offset before).
SELECT TIMESTAMPTZ '2025-11-02 01:30:00 America/New_York' AS a, TIMESTAMPTZ '2025-03-09 02:30:00 america/new_york' AS b, TIMESTAMPTZ '2025-10-26 02:30:00.25 Europe/Berlin' AS c, TIMESTAMP '2025-11-02 01:30:00 America/New_York' AS d;
SELECT count(*) AS n FROM events WHERE __time >= TIMESTAMPTZ '2026-01-20 01:30:00 Asia/Kolkata' AND __time < TIMESTAMPTZ '2026-01-25 23:00 Europe/Berlin';
-- A computed timestamp (date_trunc) or a wall-clock literal compared with an instant in a repeated hour of New York or Berlin (refused before the 2026-12-08 campaign, seed 1208).
SELECT date_trunc('hour', __time) AS h, count(*) FROM orders WHERE date_trunc('hour', __time) >= TIMESTAMPTZ '2025-11-02 01:30:00 America/New_York' AND __time < '2025-11-02 09:00:00+00' GROUP BY 1 ORDER BY 1;
SELECT count(*) AS n, count(*) FILTER (WHERE date_trunc('day', __time) BETWEEN TIMESTAMPTZ '2025-10-24 00:00:00' AND TIMESTAMPTZ '2025-10-26 00:30:00+00') AS b FROM orders WHERE date_trunc('hour', __time, 'UTC') IN (TIMESTAMPTZ '2025-10-26 00:00:00+00', TIMESTAMPTZ '2025-10-26 01:00:00+00', TIMESTAMPTZ '2025-10-25 12:00:00');
SELECT count(*) AS n FROM orders WHERE __time BETWEEN TIMESTAMPTZ '2025-10-25 12:00:00' AND TIMESTAMPTZ '2025-11-02 05:30:00+00' OR __time IN (TIMESTAMPTZ '2025-10-26 00:30:00+00', TIMESTAMPTZ '2025-10-30 12:00:00');
