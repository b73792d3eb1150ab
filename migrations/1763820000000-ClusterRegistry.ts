import { MigrationInterface, QueryRunner } from 'typeorm';

/** The cluster registry and its change outbox. */
export class ClusterRegistry1763820000000 implements MigrationInterface {
  name = 'ClusterRegistry1763820000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "clusters" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text COLLATE "C" NOT NULL,
        "server" text NOT NULL,
        "labels" jsonb NOT NULL DEFAULT '{}',
        "annotations" jsonb NOT NULL DEFAULT '{}',
        "project" text,
        "credentials_ciphertext" bytea,
        "credential_kinds" text[] NOT NULL DEFAULT '{}',
        "insecure_skip_tls_verify" boolean NOT NULL DEFAULT false,
        "connection_status" text NOT NULL DEFAULT 'Unknown',
        "connection_message" text,
        "server_version" text,
        "connection_checked_at" timestamptz,
        "resource_version" bigint NOT NULL DEFAULT 1,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "clusters_pkey" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "clusters_name_key" ON "clusters" ("name")`);
    // Serves selector pre-filters: `labels @> {...}` and `labels ? 'key'`.
    await db.query(`CREATE INDEX "clusters_labels_gin" ON "clusters" USING gin ("labels")`);

    await db.query(`
      CREATE TABLE "cluster_events" (
        "id" bigserial NOT NULL,
        "cluster_id" uuid NOT NULL,
        "cluster_name" text NOT NULL,
        "type" text NOT NULL,
        "old_labels" jsonb,
        "new_labels" jsonb,
        "changes" text[] NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "cluster_events_pkey" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE INDEX "cluster_events_created_at_idx" ON "cluster_events" ("created_at")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "cluster_events"`);
    await db.query(`DROP TABLE "clusters"`);
  }
}
