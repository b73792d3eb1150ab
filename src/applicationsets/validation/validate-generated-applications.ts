/**
 * Validation of the Applications an ApplicationSet generated, after
 * rendering and before anything is written (semantics.md §3, after Argo CD's
 * `validateGeneratedApplications`). Each Application gets its own list of
 * problems, so one bad Application never hides or blocks the others
 * (argoproj/applicationset#356).
 *
 * Contract for the reconciler: an Application with problems is neither
 * created nor updated, and a name reported as `duplicate-name` still counts
 * as generated, so an existing Application of that name is NOT deleted
 * (Argo CD deletes only names absent from everything generated, valid or not).
 */
import { FieldProblem, fieldPath } from '../../common/field-problem';
import { unstorableTextProblems } from '../../common/storable-text';
import { referenceProblems } from '../../argo/application-sources';
import { Application, ApplicationSource } from '../../argo/application.types';
import { annotationMapProblems, labelMapProblems } from '../../labels';
import { dnsLabelProblems, objectNameProblems } from './kubernetes-names';
import { syncOptionProblems } from './sync-options';
import { ignoreDifferencesProblems } from '../../sync/diff/ignore-differences';

/** A registered cluster as destination checks need it. */
export interface RegisteredCluster {
  readonly name: string;
  readonly server: string;
}

/** The rules this module reports, for callers that react to one of them. */
export const GeneratedApplicationRule = {
  Required: 'required',
  ObjectName: 'object-name',
  DuplicateName: 'duplicate-name',
  Destination: 'destination',
  ClusterNotRegistered: 'cluster-not-registered',
  NamespaceName: 'namespace-name',
  Source: 'source',
} as const;

/**
 * Problems of every generated Application, in the order of `apps` (an empty
 * list means valid): empty or invalid name, duplicate name (reported on
 * every Application that shares it), empty project, destination with not
 * exactly one of `name`/`server`, destination cluster not registered,
 * invalid destination namespace, missing source or `repoURL`, invalid labels,
 * annotations or sync options (they may have been rendered from parameters),
 * `ignoreDifferences` paths Fleetplane cannot follow, text PostgreSQL cannot store
 * (a NUL, an unpaired surrogate) anywhere.
 * Pure function.
 */
export function validateGeneratedApplications(
  apps: readonly Application[],
  clusters: readonly RegisteredCluster[],
): FieldProblem[][] {
  const nameCounts = new Map<string, number>();
  for (const app of apps) {
    const name = app.metadata?.name ?? '';
    if (name !== '') nameCounts.set(name, (nameCounts.get(name) ?? 0) + 1);
  }
  const registry = indexClusters(clusters);
  return apps.map((app) => [
    ...nameProblems(app.metadata?.name ?? '', nameCounts),
    ...projectProblems(app),
    ...destinationProblems(app, registry),
    ...sourceProblems(app),
    ...metadataMapProblems(app),
    ...(app.spec?.syncPolicy?.syncOptions ?? []).flatMap((option, i) =>
      syncOptionProblems(option, `spec.syncPolicy.syncOptions[${i}]`),
    ),
    // Rendered paths are checked here: an ignore rule Fleetplane cannot follow is refused, not dropped.
    ...ignoreDifferencesProblems(app.spec?.ignoreDifferences),
    // A parameter from a Git file may carry a NUL or a lone surrogate; PostgreSQL would refuse the write.
    ...unstorableTextProblems(app),
  ]);
}

function nameProblems(name: string, nameCounts: ReadonlyMap<string, number>): FieldProblem[] {
  const field = 'metadata.name';
  if (name === '') {
    return [
      {
        field,
        rule: GeneratedApplicationRule.Required,
        message: 'the generated Application has no name (generateName is not supported)',
      },
    ];
  }
  const problems: FieldProblem[] = objectNameProblems(name).map((message) => ({
    field,
    rule: GeneratedApplicationRule.ObjectName,
    message,
  }));
  if ((nameCounts.get(name) ?? 0) > 1) {
    problems.push({
      field,
      rule: GeneratedApplicationRule.DuplicateName,
      message: `contains applications with duplicate name: ${name}; none of them is created or updated, and an existing Application of that name is kept`,
    });
  }
  return problems;
}

function projectProblems(app: Application): FieldProblem[] {
  if ((app.spec?.project ?? '').trim() !== '') return [];
  return [
    {
      field: 'spec.project',
      rule: GeneratedApplicationRule.Required,
      message: 'the Application must name a project',
    },
  ];
}

interface ClusterIndex {
  readonly names: ReadonlySet<string>;
  readonly servers: ReadonlySet<string>;
}

function indexClusters(clusters: readonly RegisteredCluster[]): ClusterIndex {
  return {
    names: new Set(clusters.map((c) => c.name)),
    servers: new Set(clusters.map((c) => normalizeServer(c.server))),
  };
}

/** `https://host/` and `https://host` name the same API server. */
function normalizeServer(server: string): string {
  // Checked first: this runs for every registered cluster on every validation.
  return server.endsWith('/') ? server.replace(/\/+$/, '') : server;
}

function destinationProblems(app: Application, registry: ClusterIndex): FieldProblem[] {
  const destination = app.spec?.destination ?? {};
  const name = destination.name ?? '';
  const server = destination.server ?? '';
  const problems: FieldProblem[] = [];
  if (name !== '' && server !== '') {
    problems.push({
      field: 'spec.destination',
      rule: GeneratedApplicationRule.Destination,
      message: `must set only one of name and server (found name ${JSON.stringify(name)} and server ${JSON.stringify(server)})`,
    });
  } else if (name === '' && server === '') {
    problems.push({
      field: 'spec.destination',
      rule: GeneratedApplicationRule.Destination,
      message: 'must set the destination cluster by name or by server',
    });
  } else if (name !== '' && !registry.names.has(name)) {
    problems.push({
      field: 'spec.destination.name',
      rule: GeneratedApplicationRule.ClusterNotRegistered,
      message: `there are no clusters with this name: ${name}`,
    });
  } else if (server !== '' && !registry.servers.has(normalizeServer(server))) {
    problems.push({
      field: 'spec.destination.server',
      rule: GeneratedApplicationRule.ClusterNotRegistered,
      message: `there is no registered cluster with server ${server}`,
    });
  }
  const namespace = destination.namespace ?? '';
  if (namespace !== '') {
    problems.push(
      ...dnsLabelProblems(namespace).map((message) => ({
        field: 'spec.destination.namespace',
        rule: GeneratedApplicationRule.NamespaceName,
        message,
      })),
    );
  }
  return problems;
}

function sourceProblems(app: Application): FieldProblem[] {
  const single = app.spec?.source;
  const several = app.spec?.sources ?? [];
  if (single && several.length > 0) {
    return [
      {
        field: 'spec',
        rule: GeneratedApplicationRule.Source,
        message: 'must set only one of source and sources',
      },
    ];
  }
  if (!single && several.length === 0) {
    return [
      {
        field: 'spec.source',
        rule: GeneratedApplicationRule.Required,
        message: 'the Application must have a source or sources',
      },
    ];
  }
  const located: [ApplicationSource, string][] = single
    ? [[single, 'spec.source']]
    : several.map((source, i) => [source, `spec.sources[${i}]`]);
  return [
    ...located
      .filter(([source]) => (source.repoURL ?? '').trim() === '')
      .map(([, at]) => ({
        field: fieldPath(at, 'repoURL'),
        rule: GeneratedApplicationRule.Required,
        message: 'repoURL must not be empty',
      })),
    // Caught here, a bad ref stops the ApplicationSet with a clear condition instead of failing each sync.
    ...referenceProblems(app),
  ];
}

function metadataMapProblems(app: Application): FieldProblem[] {
  const { labels, annotations } = app.metadata ?? {};
  return [
    ...(labels === undefined ? [] : labelMapProblems(labels, 'metadata.labels')),
    ...(annotations === undefined
      ? []
      : annotationMapProblems(annotations, 'metadata.annotations')),
  ];
}
