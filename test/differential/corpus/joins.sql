-- Joins.
SELECT c.segment, count(*) AS n FROM orders o JOIN customers c ON o.customer_id = c.customer_id GROUP BY c.segment;
SELECT c.region, sum(o.amount) AS total FROM orders o INNER JOIN customers c ON o.customer_id = c.customer_id GROUP BY c.region;
SELECT c.region, count(o.order_id) AS n FROM customers c LEFT JOIN orders o ON c.customer_id = o.customer_id GROUP BY c.region;
SELECT count(*) AS orphans FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE c.customer_id IS NULL;
SELECT c.name, o.amount FROM orders o JOIN customers c ON o.customer_id = c.customer_id WHERE o.order_id <= 20;
SELECT c.segment, o.status, count(*) FROM orders o JOIN customers c ON c.customer_id = o.customer_id GROUP BY 1, 2;
SELECT c.segment, avg(o.amount) AS a FROM customers c JOIN orders o ON c.customer_id = o.customer_id WHERE o.status = 'delivered' GROUP BY c.segment;
SELECT c.customer_id, c.name, t.total FROM customers c JOIN (SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id) t ON c.customer_id = t.customer_id WHERE t.total > 15000;
SELECT count(*) FROM orders o RIGHT JOIN customers c ON o.customer_id = c.customer_id;
SELECT count(*) FROM orders o FULL OUTER JOIN customers c ON o.customer_id = c.customer_id;
SELECT count(*) FROM orders o JOIN customers c USING (customer_id);
SELECT count(*) FROM orders o CROSS JOIN (SELECT 1 AS one) x;
SELECT c.segment, count(DISTINCT o.customer_id) AS buyers FROM customers c LEFT JOIN orders o ON c.customer_id = o.customer_id GROUP BY c.segment;
SELECT o.status, c.region, sum(o.quantity) FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id GROUP BY 1, 2;
SELECT count(*) FROM orders o JOIN customers c ON o.customer_id = c.customer_id AND c.region = 'east';
SELECT count(*) FROM orders o JOIN customers c ON o.customer_id = c.customer_id JOIN (SELECT DISTINCT status FROM orders) s ON s.status = o.status;
-- WHERE over the NULL-extended side of a LEFT JOIN: Druid drops an OR's right-side disjunct and
-- keeps NULL-extended rows under NOT IN of the join key; refused unless plain positive tests.
SELECT count(c.region) FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE o.order_id = 833 OR c.name ILIKE 'C%';
SELECT count(*), sum(o.amount) FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE c.customer_id NOT IN (452, 247);
SELECT count(*) FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE c.customer_id <> 452 AND c.customer_id <> 247;
SELECT count(*) FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE c.customer_id NOT BETWEEN 10 AND 20;
SELECT o.status, count(c.region) AS n FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE o.status = 'delivered' OR lower(c.region) = 'east' GROUP BY 1 ORDER BY 1;
SELECT count(*), count(c.region) FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE c.region IN ('east', 'west') AND o.amount > 100;
SELECT count(*), count(c.name) FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE c.name ILIKE 'C%' AND c.customer_id BETWEEN 1 AND 400;
SELECT count(*) FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE coalesce(c.region, 'none') = 'none' AND (o.order_id < 100 OR o.status = 'delivered');
SELECT count(*) FROM orders o JOIN customers c ON o.customer_id = c.customer_id WHERE c.customer_id NOT IN (452, 247) OR c.region = 'east';
SELECT count(*), sum(n) FROM (SELECT c.customer_id, count(*) AS n FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id GROUP BY 1 HAVING c.customer_id NOT IN (452, 247)) t;
SELECT count(*) FROM (SELECT o.order_id, c.name AS nm FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id) t WHERE t.order_id = 833 OR lower(t.nm) LIKE 'c%';
SELECT count(*) FROM (SELECT o.order_id, c.customer_id AS cid FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id) t WHERE t.cid IN (452, 247);
-- Comma-separated FROM items and CROSS JOIN are INNER JOINs ON TRUE.
SELECT c.region, count(*) AS n FROM orders o, customers c WHERE o.customer_id = c.customer_id AND o.order_id < 50 GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM orders o, customers c, (SELECT 1 AS z) t WHERE o.customer_id = c.customer_id;
SELECT count(*) FROM orders o CROSS JOIN customers c LEFT JOIN events e ON e.user_id = c.name WHERE o.order_id = 1;
-- RIGHT JOIN, written as a LEFT JOIN with the sides swapped.
SELECT c.region, count(o.order_id) AS n, count(*) AS r FROM orders o RIGHT JOIN customers c ON o.customer_id = c.customer_id GROUP BY 1 ORDER BY 1;
SELECT c.customer_id, o.order_id FROM (SELECT * FROM orders WHERE order_id < 0) o RIGHT JOIN customers c ON o.customer_id = c.customer_id ORDER BY 1 LIMIT 5;
SELECT c.customer_id, o.order_id, o.amount FROM (SELECT * FROM orders WHERE order_id < 20) o RIGHT JOIN customers c ON o.customer_id = c.customer_id WHERE c.customer_id < 40 ORDER BY 1, 2 NULLS FIRST;
SELECT o.*, c.region FROM (SELECT order_id, customer_id FROM orders WHERE order_id < 5) o RIGHT JOIN customers c ON o.customer_id = c.customer_id WHERE c.customer_id < 30 ORDER BY 3, 1 NULLS FIRST;
SELECT count(*) AS n FROM orders o RIGHT JOIN customers c ON o.customer_id = c.customer_id WHERE o.status = 'shipped';
SELECT count(*) AS n FROM (SELECT c.customer_id AS k, o.order_id AS v FROM orders o RIGHT JOIN customers c ON o.customer_id = c.customer_id) t WHERE v IS NULL;
SELECT date_trunc('day', o.__time) AS d, count(*) AS n FROM (SELECT * FROM orders WHERE order_id < 30) o RIGHT JOIN customers c ON o.customer_id = c.customer_id WHERE c.customer_id < 50 GROUP BY 1 ORDER BY 1;
-- JOIN .. USING: ON l.k = r.k with one merged k (the left side's; a RIGHT JOIN's right side).
SELECT customer_id, count(*) AS n FROM orders o JOIN customers c USING (customer_id) GROUP BY customer_id ORDER BY 2 DESC, 1 LIMIT 5;
SELECT customer_id, o.order_id, c.region FROM (SELECT * FROM orders WHERE order_id < 20) o LEFT JOIN customers c USING (customer_id) ORDER BY 2;
SELECT customer_id, o.order_id FROM (SELECT * FROM orders WHERE order_id < 20) o RIGHT JOIN customers c USING (customer_id) WHERE customer_id < 30 ORDER BY 1, 2 NULLS FIRST;
SELECT c.customer_id AS ck, o.customer_id AS ok FROM (SELECT * FROM orders WHERE order_id < 20) o LEFT JOIN (SELECT * FROM customers WHERE customer_id < 0) c USING (customer_id) ORDER BY 2;
SELECT customer_id FROM (SELECT * FROM orders WHERE order_id < 20) o RIGHT JOIN (SELECT * FROM customers WHERE customer_id < 40) c USING (customer_id) ORDER BY 1;
