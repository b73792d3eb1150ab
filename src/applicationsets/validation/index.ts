/**
 * Validation of generated Applications (semantics.md §3) and the Kubernetes
 * naming and sync-option rules it shares with the ApplicationSet schema.
 */
export * from './validate-generated-applications';
export * from './kubernetes-names';
export * from './sync-options';
