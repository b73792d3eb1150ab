/**
 * Status: Application status in Argo CD's shape (`status.types`), sync
 * status and resource list from a comparison (`compareResources`,
 * `computeSyncStatus`, `resourceStatuses`, `applicationHealth`), the
 * operation life cycle (`startOperation`, `completeOperation`,
 * `terminateOperation`, `retryOperation`), history and rollback
 * (`appendHistory`, `rollbackTarget`), and the automated-sync guard
 * (`decideAutomatedSync`). Pure functions; semantics.md B1 and B3.
 */
export * from './automated-sync';
export * from './history';
export * from './operation-state';
export * from './status.types';
export * from './sync-status';
