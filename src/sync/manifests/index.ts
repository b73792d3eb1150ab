/**
 * Manifests: Kubernetes objects as plain JSON, their identity (`ObjectRef`),
 * and the path from a rendered source to an Application's desired state:
 * pick the files (`selectManifestFiles`), parse them (`parseManifestFiles`,
 * `parseRenderedOutput`), normalise namespaces and tracking
 * (`normalizeDesiredObjects`), fingerprint the result (`desiredStateHash`).
 * Pure functions only; reading files and running renderers happen elsewhere.
 */
export * from './annotations';
export * from './builtin-kinds';
export * from './content-hash';
export * from './glob';
export * from './kube-object';
export * from './manifest-problem';
export * from './normalize-desired';
export * from './parse-manifests';
export * from './source-files';
export * from './tracking';
export * from './yaml-documents';
