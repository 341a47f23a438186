import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../../src/sql/index.js';
import { translatedSql, translateFailure } from './translate-helpers.js';

/**
 * `a RIGHT JOIN b ON c` is written `b LEFT JOIN a ON c` (src/sql/translate/from.ts rightJoin), and
 * `JOIN .. USING (k)` as ON l.k = r.k with one merged k (join-using.ts); their answers are
 * compared with PostgreSQL's in test/differential/corpus/joins.sql.
 */

beforeAll(async () => {
  await initParser();
});

describe('RIGHT JOIN', () => {
  it('becomes a LEFT JOIN with the sides swapped', () => {
    expect(translatedSql('SELECT c.region, count(o.order_id) FROM orders o RIGHT JOIN customers c ON o.customer_id = c.customer_id GROUP BY 1')).toContain(
      'FROM "customers" AS "c"\nLEFT JOIN "orders" AS "o" ON "o"."customer_id" = "c"."customer_id"',
    );
  });

  it('guards filters on the NULL-extended left side as those of a LEFT JOIN', () => {
    expect(translateFailure("SELECT count(*) FROM orders o RIGHT JOIN customers c ON o.customer_id = c.customer_id WHERE o.status <> 'x'").code).toBe('0A000');
  });

  it('refuses SELECT * (Druid would list the right side first) and a RIGHT JOIN after another join', () => {
    expect(translateFailure('SELECT * FROM orders o RIGHT JOIN customers c ON o.customer_id = c.customer_id').message).toBe('SELECT * over a RIGHT JOIN is not supported by polaris-pg');
    expect(translateFailure('SELECT count(*) FROM orders o JOIN customers c ON o.customer_id = c.customer_id RIGHT JOIN customers d ON d.customer_id = c.customer_id').message).toBe(
      'RIGHT JOIN after another join is not supported by polaris-pg',
    );
  });
});

describe('JOIN .. USING', () => {
  it('joins on the equal columns, and an unqualified name takes the left side (the right side of a RIGHT JOIN)', () => {
    const inner = translatedSql('SELECT customer_id, count(*) FROM orders o JOIN customers c USING (customer_id) GROUP BY 1');
    expect(inner).toContain('INNER JOIN "customers" AS "c" ON "o"."customer_id" = "c"."customer_id"');
    expect(inner).toContain('SELECT\n  "o"."customer_id",');
    expect(translatedSql('SELECT customer_id FROM orders o RIGHT JOIN customers c USING (customer_id)')).toBe(
      'SELECT "c"."customer_id"\nFROM "customers" AS "c"\nLEFT JOIN "orders" AS "o" ON "c"."customer_id" = "o"."customer_id"',
    );
  });

  it("fails as PostgreSQL on a missing or ambiguous column, refuses SELECT * (merged columns first)", () => {
    expect(translateFailure('SELECT count(*) FROM orders o JOIN customers c USING (nope)').code).toBe('42703');
    expect(translateFailure('SELECT count(*) FROM orders o JOIN customers c USING (customer_id) JOIN customers d ON d.customer_id = c.customer_id WHERE customer_id > 3').code).toBe('42702');
    expect(translateFailure('SELECT * FROM orders o JOIN customers c USING (customer_id)').message).toBe('SELECT * over a JOIN .. USING is not supported by polaris-pg');
    expect(translateFailure('SELECT count(*) FROM orders NATURAL JOIN customers').code).toBe('0A000');
  });
});
