/**
 * `spec.source` / `spec.sources[]` of an Application template. The
 * tool-specific options (Helm, Kustomize, directory, plugin) are plain typed
 * fields, checked against shapes transcribed from Argo CD's
 * `pkg/apis/application/v1alpha1/types.go`, so a misspelt option is refused
 * instead of silently doing nothing.
 */
import { ApplicationSource } from '../../../argo/application.types';
import { FieldReader, SchemaContext, withoutUndefined } from './schema-context';
import { ObjectShape, readShape } from './shape';

const NAME_VALUE: ObjectShape = {
  fields: { name: 'string', value: 'string' },
  required: ['name', 'value'],
};

const JSONNET_VAR: ObjectShape = {
  fields: { name: 'string', value: 'string', code: 'boolean' },
  required: ['name', 'value'],
};

export const HELM_SHAPE: ObjectShape = {
  fields: {
    valueFiles: 'string-list',
    parameters: { items: { fields: { name: 'string', value: 'string', forceString: 'boolean' } } },
    fileParameters: { items: { fields: { name: 'string', path: 'string' } } },
    releaseName: 'string',
    values: 'string',
    valuesObject: 'any',
    version: 'string',
    passCredentials: 'boolean',
    ignoreMissingValueFiles: 'boolean',
    skipCrds: 'boolean',
    skipTests: 'boolean',
    skipSchemaValidation: 'boolean',
    namespace: 'string',
    kubeVersion: 'string',
    apiVersions: 'string-list',
  },
};

export const KUSTOMIZE_SHAPE: ObjectShape = {
  fields: {
    namePrefix: 'string',
    nameSuffix: 'string',
    images: 'string-list',
    replicas: {
      items: { fields: { name: 'string', count: 'int-or-string' }, required: ['name', 'count'] },
    },
    commonLabels: 'string-map',
    commonAnnotations: 'string-map',
    commonAnnotationsEnvsubst: 'boolean',
    forceCommonLabels: 'boolean',
    forceCommonAnnotations: 'boolean',
    labelWithoutSelector: 'boolean',
    labelIncludeTemplates: 'boolean',
    namespace: 'string',
    version: 'string',
    patches: {
      items: {
        fields: {
          path: 'string',
          patch: 'string',
          target: {
            fields: {
              group: 'string',
              version: 'string',
              kind: 'string',
              name: 'string',
              namespace: 'string',
              annotationSelector: 'string',
              labelSelector: 'string',
            },
          },
          options: { values: 'boolean' },
        },
      },
    },
    components: 'string-list',
    ignoreMissingComponents: 'boolean',
    kubeVersion: 'string',
    apiVersions: 'string-list',
  },
};

export const DIRECTORY_SHAPE: ObjectShape = {
  fields: {
    recurse: 'boolean',
    include: 'string',
    exclude: 'string',
    jsonnet: {
      fields: {
        extVars: { items: JSONNET_VAR },
        tlas: { items: JSONNET_VAR },
        libs: 'string-list',
      },
    },
  },
};

export const PLUGIN_SHAPE: ObjectShape = {
  fields: {
    name: 'string',
    env: { items: NAME_VALUE },
    parameters: {
      items: {
        fields: { name: 'string', string: 'string', map: 'string-map', array: 'string-list' },
      },
    },
  },
};

export interface SourceRules {
  /** Generator-level templates are merged over `spec.template`: nothing is required. */
  readonly partial: boolean;
}

/** Reads one Application source at `field`. */
export function readApplicationSource(
  ctx: SchemaContext,
  value: unknown,
  field: string,
  rules: SourceRules,
): ApplicationSource | undefined {
  const reader = FieldReader.open(ctx, value, field);
  if (!reader) return undefined;
  const tool = (key: string, shape: ObjectShape) => {
    const option = reader.take(key);
    return option === undefined ? undefined : readShape(ctx, option, reader.at(key), shape);
  };
  const source = withoutUndefined({
    repoURL: reader.string('repoURL', { required: !rules.partial, nonEmpty: true }) as string,
    path: reader.string('path'),
    targetRevision: reader.string('targetRevision'),
    chart: reader.string('chart'),
    ref: reader.string('ref'),
    name: reader.string('name'),
    helm: tool('helm', HELM_SHAPE) as ApplicationSource['helm'],
    kustomize: tool('kustomize', KUSTOMIZE_SHAPE) as ApplicationSource['kustomize'],
    directory: tool('directory', DIRECTORY_SHAPE) as ApplicationSource['directory'],
    plugin: tool('plugin', PLUGIN_SHAPE),
  });
  reader.finish();
  if (source.helm?.values !== undefined && source.helm.valuesObject !== undefined) {
    ctx.warn(
      reader.at('helm'),
      'ignored',
      'both values and valuesObject are set; Argo CD uses valuesObject and ignores values',
    );
  }
  return source;
}
