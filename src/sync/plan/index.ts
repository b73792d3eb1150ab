/**
 * Plan: how one sync runs. Sync options (`parseAppSyncOptions`,
 * `parseResourceSyncOptions`), apply order and waves (`orderSyncTasks`),
 * the inventory of what was applied (`inventoryOf`), pruning from it
 * (`planPrune`), the `CreateNamespace=true` namespace
 * (`managedNamespaceObject`), and all of it together (`planSync`).
 * Pure functions; semantics.md B4 is the specification.
 */
export * from './inventory';
export * from './managed-namespace';
export * from './prune';
export * from './sync-options';
export * from './sync-order';
export * from './sync-plan';
