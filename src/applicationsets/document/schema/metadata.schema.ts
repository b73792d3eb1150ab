/**
 * `metadata` of the ApplicationSet itself and of its Application templates.
 * Label and annotation rules are Kubernetes' (src/labels); in templates,
 * keys and values holding `{{params}}` are checked once rendered.
 */
import { ObjectMeta } from '../../../argo/application.types';
import { annotationMapProblems, labelMapProblems } from '../../../labels';
import { dnsLabelProblems, objectNameProblems } from '../../validation/kubernetes-names';
import { FieldReader, SchemaContext, withoutUndefined } from './schema-context';
import { isTemplated, untemplatedMapProblems } from './templating';

/** Fields the API server sets; an exported object carries them, and they change nothing. */
const SERVER_SET_FIELDS = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

/**
 * Reads the ApplicationSet's own metadata: `name` (a Kubernetes object name),
 * optional `namespace` (informative only: Fleetplane has no namespaces, see
 * docs/applicationset-format.md), labels, annotations and finalizers.
 */
export function readApplicationSetMetadata(
  ctx: SchemaContext,
  reader: FieldReader,
): ObjectMeta & { name: string } {
  const name = reader.string('name', { required: true, nonEmpty: true, templatable: false });
  if (name !== undefined && !isTemplated(name)) nameProblems(ctx, reader.at('name'), name);
  const namespace = reader.string('namespace', { templatable: false });
  if (namespace !== undefined && namespace !== '') {
    dnsLabelProblems(namespace).forEach((message) =>
      ctx.problem(reader.at('namespace'), 'namespace-name', message),
    );
  }
  const metadata = withoutUndefined({
    name: name ?? '',
    namespace,
    labels: readMap(ctx, reader, 'labels', labelMapProblems, false),
    annotations: readMap(ctx, reader, 'annotations', annotationMapProblems, false),
    finalizers: reader.stringList('finalizers', { templatable: false }),
  });
  SERVER_SET_FIELDS.forEach((key) =>
    reader.ignored(key, 'set by the API server; ignored when reading an ApplicationSet'),
  );
  reader.unsupported('generateName', 'generateName is not supported; set metadata.name');
  reader.unsupported(
    'ownerReferences',
    'ownerReferences are not supported: Fleetplane does not garbage-collect ApplicationSets through owners',
  );
  return metadata;
}

export interface TemplateMetadataRules {
  /** Generator-level templates may leave `name` to `spec.template`. */
  readonly partial: boolean;
}

/**
 * Reads the metadata of an Application template: `name` (required unless
 * partial; may be templated), labels, annotations, finalizers. `namespace`
 * is accepted with a warning: Argo CD replaces it with the ApplicationSet's
 * namespace (semantics.md §2.4).
 */
export function readTemplateMetadata(
  ctx: SchemaContext,
  reader: FieldReader,
  rules: TemplateMetadataRules,
): ObjectMeta {
  const name = reader.string('name', { required: !rules.partial, nonEmpty: true });
  if (name !== undefined && name.trim() !== '' && !isTemplated(name)) {
    nameProblems(ctx, reader.at('name'), name);
  }
  const namespace = reader.string('namespace');
  if (namespace !== undefined) {
    ctx.warn(
      reader.at('namespace'),
      'ignored',
      "generated Applications always take the ApplicationSet's namespace (as in Argo CD)",
    );
  }
  return withoutUndefined({
    name,
    namespace,
    labels: readMap(ctx, reader, 'labels', labelMapProblems, true),
    annotations: readMap(ctx, reader, 'annotations', annotationMapProblems, true),
    finalizers: reader.stringList('finalizers'),
  });
}

function nameProblems(ctx: SchemaContext, field: string, name: string): void {
  if (name.trim() === '') return;
  objectNameProblems(name).forEach((message) => ctx.problem(field, 'object-name', message));
}

function readMap(
  ctx: SchemaContext,
  reader: FieldReader,
  key: string,
  check: typeof labelMapProblems,
  templatable: boolean,
): Record<string, string> | undefined {
  const value = reader.take(key);
  if (value === undefined) return undefined;
  ctx.addProblems(
    templatable
      ? untemplatedMapProblems(value, reader.at(key), check)
      : check(value, reader.at(key)),
  );
  return value as Record<string, string>;
}
