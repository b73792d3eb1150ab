/**
 * Application templates: `spec.template` (complete) and generator-level
 * `template` (partial, merged over `spec.template` by the renderer,
 * semantics.md §2.4). String fields may hold `{{params}}` and are checked
 * once rendered (src/applicationsets/validation); the rules here are those a
 * template can break before any rendering.
 */
import {
  ApplicationDestination,
  ApplicationSpec,
  Application,
} from '../../../argo/application.types';
import {
  ApplicationTemplate,
  PartialApplicationTemplate,
} from '../../../argo/applicationset.types';
import { dnsLabelProblems } from '../../validation/kubernetes-names';
import { readApplicationSource } from './application-source.schema';
import { readTemplateMetadata } from './metadata.schema';
import { FieldReader, SchemaContext, withoutUndefined } from './schema-context';
import { ObjectShape, readShape } from './shape';
import { readSyncPolicy } from './sync-policy.schema';
import { isTemplated } from './templating';

export interface TemplateRules {
  /** True for generator-level templates: every field may come from `spec.template`. */
  readonly partial: boolean;
}

const IGNORE_DIFFERENCES_SHAPE: ObjectShape = {
  fields: {
    group: 'string',
    kind: 'string',
    name: 'string',
    namespace: 'string',
    jsonPointers: 'string-list',
    jqPathExpressions: 'string-list',
    managedFieldsManagers: 'string-list',
  },
  required: ['kind'],
};

const INFO_SHAPE: ObjectShape = {
  fields: { name: 'string', value: 'string' },
  required: ['name', 'value'],
};

/** Reads `spec.template`, where name, project, destination and a source are required. */
export function readApplicationTemplate(
  ctx: SchemaContext,
  reader: FieldReader,
): ApplicationTemplate {
  return readTemplate(ctx, reader, { partial: false }) as ApplicationTemplate;
}

/** Reads a generator-level `template`, where every field is optional. */
export function readPartialApplicationTemplate(
  ctx: SchemaContext,
  reader: FieldReader,
): PartialApplicationTemplate {
  return readTemplate(ctx, reader, { partial: true });
}

function readTemplate(
  ctx: SchemaContext,
  reader: FieldReader,
  rules: TemplateRules,
): PartialApplicationTemplate {
  const required = { required: !rules.partial };
  return withoutUndefined({
    metadata: reader.object(
      'metadata',
      (metadata) => readTemplateMetadata(ctx, metadata, rules),
      required,
    ),
    spec: reader.object('spec', (spec) => readApplicationSpec(ctx, spec, rules), required),
  });
}

function readApplicationSpec(
  ctx: SchemaContext,
  reader: FieldReader,
  rules: TemplateRules,
): Partial<ApplicationSpec> {
  const required = { required: !rules.partial };
  const project = reader.string('project', { ...required, nonEmpty: true });
  if (isTemplated(project)) {
    // semantics.md Part C1: whoever can push to the generator's source of
    // truth could otherwise place Applications in any project; Argo CD's
    // API rejects it too (PR #29238).
    ctx.problem(
      reader.at('project'),
      'templated-project',
      'must not be templated: parameters come from clusters and Git, and must not choose the project',
    );
  }
  const readSource = (value: unknown, field: string) =>
    readApplicationSource(ctx, value, field, rules);
  const spec = withoutUndefined({
    project,
    destination: reader.object(
      'destination',
      (destination) => readDestination(ctx, destination, rules),
      required,
    ),
    source: reader.value('source', readSource),
    sources: reader.list('sources', readSource),
    syncPolicy: reader.object('syncPolicy', (policy) => readSyncPolicy(ctx, policy)),
    ignoreDifferences: reader.value('ignoreDifferences', (value, field) =>
      readShape(ctx, value, field, { items: IGNORE_DIFFERENCES_SHAPE }),
    ) as unknown[] | undefined,
    info: reader.value('info', (value, field) =>
      readShape(ctx, value, field, { items: INFO_SHAPE }),
    ) as Application['spec']['info'],
    revisionHistoryLimit: reader.integer('revisionHistoryLimit', 0),
  });
  reader.unsupported(
    'sourceHydrator',
    'sourceHydrator is not supported: Fleetplane syncs manifests from source or sources',
  );
  sourceCountProblems(ctx, reader, spec.sources, rules);
  return spec;
}

/**
 * Exactly one of `source` and `sources` (Argo CD silently ignores `source`
 * when both are set). A partial template may set neither.
 */
function sourceCountProblems(
  ctx: SchemaContext,
  reader: FieldReader,
  sources: readonly unknown[] | undefined,
  rules: TemplateRules,
): void {
  const single = reader.has('source');
  const several = reader.has('sources');
  if (single && several) {
    ctx.problem(
      reader.field,
      'source',
      'must set only one of source and sources (Argo CD would silently ignore source)',
    );
  } else if (!single && !several && !rules.partial) {
    ctx.problem(reader.at('source'), 'required', 'source or sources is required');
  } else if (sources?.length === 0) {
    ctx.problem(reader.at('sources'), 'required', 'must list at least one source');
  }
}

/**
 * Exactly one of `name` and `server` (either may be templated); a literal
 * `namespace` must be a DNS-1123 label. A partial template may set neither.
 */
function readDestination(
  ctx: SchemaContext,
  reader: FieldReader,
  rules: TemplateRules,
): ApplicationDestination {
  const destination = withoutUndefined({
    name: reader.string('name', { nonEmpty: true }),
    server: reader.string('server', { nonEmpty: true }),
    namespace: reader.string('namespace'),
  });
  if (destination.name !== undefined && destination.server !== undefined) {
    ctx.problem(reader.field, 'destination', 'must set only one of name and server');
  } else if (destination.name === undefined && destination.server === undefined && !rules.partial) {
    ctx.problem(
      reader.field,
      'destination',
      'must set the destination cluster by name or by server',
    );
  }
  const namespace = destination.namespace;
  if (namespace !== undefined && namespace !== '' && !isTemplated(namespace)) {
    dnsLabelProblems(namespace).forEach((message) =>
      ctx.problem(reader.at('namespace'), 'namespace-name', message),
    );
  }
  return destination;
}
