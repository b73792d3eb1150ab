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

  it('are all recorded as applied', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
