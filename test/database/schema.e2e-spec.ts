import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('migrations', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url, 2)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('produce exactly the schema the entities describe', async () => {
    // Given a database built only by the hand-written migrations,
    // when TypeORM compares it with the entity metadata,
    const pending = await dataSource.driver.createSchemaBuilder().log();
    // then it has nothing left to change.
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('leave room on the pages of the tables whose rows the sync engine rewrites', async () => {
    const rows: { relname: string; reloptions: string[] | null }[] = await dataSource.query(
      `SELECT relname, reloptions FROM pg_class
        WHERE relname IN ('applications', 'application_sync_state') ORDER BY relname`,
    );
    expect(rows).toEqual([
      { relname: 'application_sync_state', reloptions: ['fillfactor=60'] },
      { relname: 'applications', reloptions: ['fillfactor=60'] },
    ]);
  });

  it('are all recorded as applied', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
