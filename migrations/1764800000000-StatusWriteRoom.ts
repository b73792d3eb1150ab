import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room on each page for the next version of a row the sync engine rewrites
 * (statuses twice per sync, its memory once), so PostgreSQL can write it as
 * a heap-only tuple: without room, three updates in four moved their row to
 * another page and updated every index of it (name, ApplicationSet, cluster
 * and the labels' GIN index), which a fleet-wide sync paid hundreds of times
 * a second. Existing pages gain the room as they are rewritten.
 */
export class StatusWriteRoom1764800000000 implements MigrationInterface {
  name = 'StatusWriteRoom1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "applications" SET (fillfactor = 60)`);
    await db.query(`ALTER TABLE "application_sync_state" SET (fillfactor = 60)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "applications" RESET (fillfactor)`);
    await db.query(`ALTER TABLE "application_sync_state" RESET (fillfactor)`);
  }
}
