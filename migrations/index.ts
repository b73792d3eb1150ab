/**
 * Hand-written migrations, oldest first. Never generated, never `synchronize`.
 * `test/database/schema.e2e-spec.ts` proves they produce what the entities expect.
 */
import { ClusterRegistry1763820000000 } from './1763820000000-ClusterRegistry';

export const MIGRATIONS = [ClusterRegistry1763820000000];
