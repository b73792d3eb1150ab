import { Client } from 'pg';
import { selectorToSql } from '../../src/clusters/cluster-selector.sql';
import { matches, parseSelector } from '../../src/labels/label-selector';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * The SQL pre-filter must agree with the pure matcher on every row: a
 * seeded random search over label sets and selectors, against real Postgres.
 */
describe('selectorToSql agrees with matches()', () => {
  let db: TestDatabase;
  let client: Client;
  const keys = ['env', 'region', 'gpu', 'size', 'a.example.com/x'];
  const values = ['prod', 'dev', 'eu', '', '3', '12', '-1'];
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query('CREATE TEMP TABLE t (id int, labels jsonb)');
    for (let id = 0; id < 300; id++) {
      const labels: Record<string, string> = {};
      for (const key of keys) if (random(3) > 0) labels[key] = values[random(values.length)];
      await client.query('INSERT INTO t VALUES ($1, $2)', [id, labels]);
    }
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const requirement = (): string => {
    const key = keys[random(keys.length)];
    const v = () => values.filter((x) => !x.startsWith('-'))[random(values.length - 1)] || 'x';
    switch (random(8)) {
      case 0:
        return `${key}=${v()}`;
      case 1:
        return `${key}!=${v()}`;
      case 2:
        return `${key} in (${v()},${v()})`;
      case 3:
        return `${key} notin (${v()},${v()})`;
      case 4:
        return key;
      case 5:
        return `!${key}`;
      case 6:
        return `${key}>${random(20) - 5}`;
      default:
        return `${key}<${random(20) - 5}`;
    }
  };

  it('on 200 random selectors over 300 random label sets', async () => {
    const { rows } = await client.query<{ id: number; labels: Record<string, string> }>(
      'SELECT id, labels FROM t ORDER BY id',
    );
    for (let i = 0; i < 200; i++) {
      const text = Array.from({ length: 1 + random(3) }, requirement).join(',');
      const selector = parseSelector(text);
      const { clause, params } = selectorToSql(selector, 'labels');
      const sql = await client.query<{ id: number }>(
        `SELECT id FROM t WHERE ${clause} ORDER BY id`,
        params,
      );
      const expected = rows.filter((row) => matches(selector, row.labels)).map((row) => row.id);
      expect({ text, ids: sql.rows.map((r) => r.id) }).toEqual({ text, ids: expected });
    }
  });
});
