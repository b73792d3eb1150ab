/**
 * Diff: desired versus live with server-side-apply semantics
 * (`diffResource`, `diffResources`), the normalisations that keep API-server
 * rewrites from looking like drift (`withStringDataEncoded`, quantities),
 * fields `spec.ignoreDifferences` leaves out (`diffIgnoring`), and Secret masking (`maskSecretValues`). Pure functions.
 */
export * from './compare-values';
export * from './diff-resources';
export * from './ignore-differences';
export * from './list-rules';
export * from './mask-secrets';
export * from './normalize';
export * from './quantity';
