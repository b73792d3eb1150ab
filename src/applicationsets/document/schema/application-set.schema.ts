/**
 * The ApplicationSet schema, top down: `apiVersion`, `kind`, `metadata` and
 * `spec`. Each section is read by its own module; every problem names its
 * path and rule. Unknown fields anywhere are errors (Kubernetes strict field
 * validation), because a misspelt field would silently change behaviour.
 */
import { ApplicationSet, ApplicationSetSpec } from '../../../argo/applicationset.types';
import {
  readApplicationSetSyncPolicy,
  readIgnoreApplicationDifferences,
  readPreservedFields,
  readStrategy,
} from './application-set-policies.schema';
import { readApplicationTemplate } from './application-template.schema';
import { readGenerators } from './generators.schema';
import { readApplicationSetMetadata } from './metadata.schema';
import { FieldReader, SchemaContext, withoutUndefined } from './schema-context';

export const APPLICATION_SET_API_VERSION = 'argoproj.io/v1alpha1';
export const APPLICATION_SET_KIND = 'ApplicationSet';

/**
 * Validates a whole ApplicationSet document (a plain JSON value). Returns the
 * typed ApplicationSet when `ctx` gathered no problems, undefined otherwise;
 * warnings never prevent a result.
 */
export function readApplicationSet(ctx: SchemaContext, value: unknown): ApplicationSet | undefined {
  const reader = FieldReader.open(ctx, value, '');
  if (!reader) return undefined;
  const appSet = {
    apiVersion: reader.string('apiVersion', {
      required: true,
      oneOf: [APPLICATION_SET_API_VERSION],
    }),
    kind: reader.string('kind', { required: true, oneOf: [APPLICATION_SET_KIND] }),
    metadata: reader.object('metadata', (metadata) => readApplicationSetMetadata(ctx, metadata), {
      required: true,
    }),
    spec: reader.object('spec', (spec) => readApplicationSetSpec(ctx, spec), { required: true }),
  };
  reader.ignored('status', 'status is written by Fleetplane; ignored when reading');
  reader.finish();
  return ctx.problems.length === 0 ? (appSet as ApplicationSet) : undefined;
}

function readApplicationSetSpec(ctx: SchemaContext, reader: FieldReader): ApplicationSetSpec {
  const goTemplate = reader.boolean('goTemplate');
  if (goTemplate === true) {
    ctx.problem(
      reader.at('goTemplate'),
      'unsupported',
      "goTemplate: true is not supported yet; Fleetplane renders Argo's default flat templates with Handlebars",
    );
  }
  const goTemplateOptions = reader.stringList('goTemplateOptions');
  if ((goTemplateOptions?.length ?? 0) > 0) {
    ctx.problem(
      reader.at('goTemplateOptions'),
      'unsupported',
      'goTemplateOptions only apply with goTemplate: true, which is not supported yet',
    );
  }
  const spec = withoutUndefined({
    goTemplate,
    goTemplateOptions,
    generators: readGenerators(ctx, reader),
    template: reader.object('template', (template) => readApplicationTemplate(ctx, template), {
      required: true,
    }) as ApplicationSetSpec['template'],
    syncPolicy: reader.object('syncPolicy', readApplicationSetSyncPolicy),
    strategy: reader.object('strategy', (strategy) => readStrategy(ctx, strategy)),
    preservedFields: reader.object('preservedFields', (fields) => readPreservedFields(ctx, fields)),
    ignoreApplicationDifferences: reader.value('ignoreApplicationDifferences', (value, field) =>
      readIgnoreApplicationDifferences(ctx, value, field),
    ),
  });
  const templatePatch = reader.string('templatePatch');
  if (templatePatch !== undefined && templatePatch.trim() !== '') {
    ctx.problem(reader.at('templatePatch'), 'unsupported', 'templatePatch is not supported yet');
  }
  reader.ignored(
    'applyNestedSelectors',
    'deprecated and ignored by Argo CD: selectors of nested generators always apply',
  );
  return spec;
}
