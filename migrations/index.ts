/**
 * Hand-written migrations, oldest first. Never generated, never `synchronize`.
 * `test/database/schema.e2e-spec.ts` proves they produce what the entities expect.
 */
import { ClusterRegistry1763820000000 } from './1763820000000-ClusterRegistry';
import { ApplicationLifecycle1763830000000 } from './1763830000000-ApplicationLifecycle';
import { SyncControl1764700000000 } from './1764700000000-SyncControl';
import { ApplicationSetSourceRevision1764750000000 } from './1764750000000-ApplicationSetSourceRevision';
import { StatusWriteRoom1764800000000 } from './1764800000000-StatusWriteRoom';

export const MIGRATIONS = [
  ClusterRegistry1763820000000,
  ApplicationLifecycle1763830000000,
  SyncControl1764700000000,
  ApplicationSetSourceRevision1764750000000,
  StatusWriteRoom1764800000000,
];
