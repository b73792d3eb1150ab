/**
 * The ApplicationSet expansion engine (issue 4): generators behind one
 * interface and a registry, pure helpers, and `expandApplicationSet`, which
 * turns an ApplicationSet into the Applications Argo CD would produce
 * (flat mode). Rules per generator in docs/generators.md; rendering in
 * docs/templates.md. Ports (`ClusterSource`, `GitReader`) are in ./ports.
 */
export type { ExpandedApplication, Expansion } from './expand';
export { expandApplicationSet } from './expand';
export type { ExpansionPorts, ResolvedRevision } from './expansion-sources';
export type { ExpansionWarning } from './generation-run';
export { GenerationError } from './generation-error';
export type { GenerationErrorCode } from './generation-error';
export type { GenerationContext, Generator, GeneratorKind, ParamSet } from './generator';
export { GENERATOR_KINDS } from './generator';
export { GeneratorRegistry } from './registry';
export type { ClusterSelectorUse, GitSourceUse } from './generator-tree';
export { clusterChangeMayAffect, clusterSelectorsOf, gitSourcesOf } from './generator-tree';
export type { ClusterRecord, ClusterSource, GitReader, GitTreeEntry } from './ports';
