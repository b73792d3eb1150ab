import { MigrationInterface, QueryRunner } from 'typeorm';

/** Git sources, ApplicationSets, generated Applications and the durable work queue. */
export class ApplicationLifecycle1763830000000 implements MigrationInterface {
  name = 'ApplicationLifecycle1763830000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "sources" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text COLLATE "C" NOT NULL,
        "repo_url" text NOT NULL,
        "revision" text NOT NULL DEFAULT 'HEAD',
        "path" text NOT NULL DEFAULT '',
        "recurse" boolean NOT NULL DEFAULT false,
        "status" jsonb NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "sources_name_key" ON "sources" ("name")`);

    await db.query(`
      CREATE TABLE "applicationsets" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text COLLATE "C" NOT NULL,
        "source_id" uuid,
        "source_path" text,
        "document" jsonb NOT NULL,
        "spec_hash" text NOT NULL,
        "generation" bigint NOT NULL DEFAULT 1,
        "status" jsonb NOT NULL DEFAULT '{}',
        "cluster_selectors" jsonb NOT NULL DEFAULT '[]',
        "git_repos" text[] NOT NULL DEFAULT '{}',
        "approved_deletions" jsonb,
        "deletion_requested_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "applicationsets_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "applicationsets_source_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "applicationsets_name_key" ON "applicationsets" ("name")`);
    await db.query(`CREATE INDEX "applicationsets_source_idx" ON "applicationsets" ("source_id")`);

    await db.query(`
      CREATE TABLE "applications" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text COLLATE "C" NOT NULL,
        "applicationset_id" uuid,
        "project" text NOT NULL,
        "cluster_name" text,
        "dest_server" text,
        "dest_namespace" text NOT NULL DEFAULT '',
        "labels" jsonb NOT NULL DEFAULT '{}',
        "manifest" jsonb NOT NULL,
        "spec_hash" text NOT NULL,
        "generation" bigint NOT NULL DEFAULT 1,
        "status" jsonb NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "applications_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "applications_applicationset_fkey" FOREIGN KEY ("applicationset_id") REFERENCES "applicationsets"("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "applications_name_key" ON "applications" ("name")`);
    await db.query(
      `CREATE INDEX "applications_applicationset_idx" ON "applications" ("applicationset_id")`,
    );
    await db.query(`CREATE INDEX "applications_cluster_idx" ON "applications" ("cluster_name")`);
    await db.query(`CREATE INDEX "applications_labels_gin" ON "applications" USING gin ("labels")`);

    await db.query(`
      CREATE TABLE "work_queue" (
        "kind" text NOT NULL,
        "target_id" uuid NOT NULL,
        "not_before" timestamptz NOT NULL DEFAULT now(),
        "version" bigint NOT NULL DEFAULT 1,
        "attempts" integer NOT NULL DEFAULT 0,
        "reasons" text[] NOT NULL DEFAULT '{}',
        "claimed_by" text,
        "claimed_until" timestamptz,
        "last_error" text,
        CONSTRAINT "work_queue_pkey" PRIMARY KEY ("kind", "target_id")
      )`);
    await db.query(`CREATE INDEX "work_queue_due_idx" ON "work_queue" ("kind", "not_before")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "work_queue"`);
    await db.query(`DROP TABLE "applications"`);
    await db.query(`DROP TABLE "applicationsets"`);
    await db.query(`DROP TABLE "sources"`);
  }
}
