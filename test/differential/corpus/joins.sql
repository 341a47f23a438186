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
