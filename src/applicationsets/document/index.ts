/**
 * ApplicationSet documents: reading YAML/JSON text safely, validating each
 * document against the ApplicationSet schema, and locating every problem by
 * path, rule and line. Entry point: `parseApplicationSets`.
 *
 * Layout: read-documents → yaml-documents / json-document (text → plain
 * values, safety limits) → node-locator (path → line) → schema/* (one module
 * per section of the ApplicationSet) → parse-application-sets (per-document
 * results). Nothing here generates or renders; see src/generators and
 * src/templates.
 */
export * from './document-problem';
export * from './parse-application-sets';
export { DEFAULT_READ_LIMITS } from './source-document';
export type { ReadLimits } from './source-document';
export type { TextFormat } from './read-documents';
export { APPLICATION_SET_API_VERSION, APPLICATION_SET_KIND } from './schema/application-set.schema';
