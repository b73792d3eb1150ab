import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sync engine's control half: per-cluster leases (two replicas never
 * sync one cluster at once), replica heartbeats (fair sharing of clusters),
 * per-Application sync state (inventory, the auto-sync guard's memory,
 * pending requests, deletion), and a trigger that announces Application
 * changes so the replica holding a cluster picks them up at once.
 */
export class SyncControl1764700000000 implements MigrationInterface {
  name = 'SyncControl1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "sync_cluster_leases" (
        "cluster_name" text COLLATE "C" NOT NULL,
        "holder" text NOT NULL,
        "acquired_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "sync_cluster_leases_pkey" PRIMARY KEY ("cluster_name")
      )`);
    await db.query(`
      CREATE TABLE "sync_replicas" (
        "id" text NOT NULL,
        "seen_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "sync_replicas_pkey" PRIMARY KEY ("id")
      )`);
    await db.query(`
      CREATE TABLE "application_sync_state" (
        "application_id" uuid NOT NULL,
        "inventory" jsonb NOT NULL DEFAULT '[]',
        "last_attempt" jsonb,
        "self_heal_attempts" integer NOT NULL DEFAULT 0,
        "resume_count" integer NOT NULL DEFAULT 0,
        "requested_operation" jsonb,
        "terminate_requested_at" timestamptz,
        "deletion_requested_at" timestamptz,
        "deletion_owner_id" uuid,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "application_sync_state_pkey" PRIMARY KEY ("application_id"),
        CONSTRAINT "application_sync_state_application_fkey" FOREIGN KEY ("application_id")
          REFERENCES "applications"("id") ON DELETE CASCADE
      )`);
    // Payload "<cluster>\t<application id>": the replica holding that cluster reloads the row.
    await db.query(`
      CREATE FUNCTION "fleetplane_application_sync_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          PERFORM pg_notify('fleetplane_application_sync', coalesce(OLD.cluster_name, '') || chr(9) || OLD.id::text);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.cluster_name IS DISTINCT FROM OLD.cluster_name) THEN
          PERFORM pg_notify('fleetplane_application_sync', coalesce(NEW.cluster_name, '') || chr(9) || NEW.id::text);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER "applications_sync_notify_write" AFTER INSERT OR DELETE ON "applications"
        FOR EACH ROW EXECUTE FUNCTION "fleetplane_application_sync_notify"()`);
    // Status writes (the sync engine's own) change neither column and stay silent.
    await db.query(`
      CREATE TRIGGER "applications_sync_notify_update" AFTER UPDATE ON "applications"
        FOR EACH ROW
        WHEN (OLD.spec_hash IS DISTINCT FROM NEW.spec_hash OR OLD.cluster_name IS DISTINCT FROM NEW.cluster_name)
        EXECUTE FUNCTION "fleetplane_application_sync_notify"()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER "applications_sync_notify_update" ON "applications"`);
    await db.query(`DROP TRIGGER "applications_sync_notify_write" ON "applications"`);
    await db.query(`DROP FUNCTION "fleetplane_application_sync_notify"()`);
    await db.query(`DROP TABLE "application_sync_state"`);
    await db.query(`DROP TABLE "sync_replicas"`);
    await db.query(`DROP TABLE "sync_cluster_leases"`);
  }
}
