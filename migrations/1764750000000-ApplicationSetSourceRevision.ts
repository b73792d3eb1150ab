import { MigrationInterface, QueryRunner } from 'typeorm';

/** The Git commit an ApplicationSet from a source was last read from (shown in its status). */
export class ApplicationSetSourceRevision1764750000000 implements MigrationInterface {
  name = 'ApplicationSetSourceRevision1764750000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "applicationsets" ADD "source_revision" text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "applicationsets" DROP COLUMN "source_revision"`);
  }
}
