import { KubeObject } from '../manifests/kube-object';
import {
  ParsedSyncOptions,
  effectiveSyncOptions,
  parseAppSyncOptions,
  parseResourceSyncOptions,
} from './sync-options';

const annotated = (value: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', annotations: { 'argocd.argoproj.io/sync-options': value } },
});
const ANNOTATION_FIELD = "metadata.annotations['argocd.argoproj.io/sync-options']";

describe('parseAppSyncOptions', () => {
  it.each<[string[] | undefined, ParsedSyncOptions]>([
    [undefined, { options: {}, problems: [] }],
    [
      [
        'CreateNamespace=true',
        'PruneLast=true',
        'Prune=confirm',
        'ApplyOutOfSyncOnly=true',
        'Replace=false',
        'Force=true',
        'ServerSideApply=true',
        'Validate=false',
        'SkipDryRunOnMissingResource=true',
        'PrunePropagationPolicy=orphan',
        'FailOnSharedResource=true',
        'RespectIgnoreDifferences=true',
      ],
      {
        options: {
          createNamespace: true,
          pruneLast: true,
          prune: 'confirm',
          applyOutOfSyncOnly: true,
          replace: false,
          force: true,
          serverSideApply: true,
          validate: false,
          skipDryRunOnMissingResource: true,
          prunePropagationPolicy: 'orphan',
          failOnSharedResource: true,
          respectIgnoreDifferences: true,
        },
        problems: [],
      },
    ],
    [
      [' CreateNamespace=true ', 'CreateNamespace=true'],
      { options: { createNamespace: true }, problems: [] },
    ],
    [
      ['prune=false'],
      {
        options: {},
        problems: [
          {
            field: 'spec.syncPolicy.syncOptions[0]',
            rule: 'unknown-sync-option',
            message: 'unknown sync option "prune"; did you mean Prune?',
          },
        ],
      },
    ],
    [
      ['Validate=false', 'Turbo=true'],
      {
        options: { validate: false },
        problems: [
          {
            field: 'spec.syncPolicy.syncOptions[1]',
            rule: 'unknown-sync-option',
            message:
              'unknown sync option "Turbo"; known options: CreateNamespace, PruneLast, Prune, Delete, ApplyOutOfSyncOnly, Replace, Force, ServerSideApply, Validate, SkipDryRunOnMissingResource, PrunePropagationPolicy, FailOnSharedResource, RespectIgnoreDifferences',
          },
        ],
      },
    ],
    [
      ['CreateNamespace', 'PrunePropagationPolicy=later'],
      {
        options: {},
        problems: [
          {
            field: 'spec.syncPolicy.syncOptions[0]',
            rule: 'sync-option-value',
            message:
              'CreateNamespace must be written CreateNamespace=true or CreateNamespace=false',
          },
          {
            field: 'spec.syncPolicy.syncOptions[1]',
            rule: 'sync-option-value',
            message:
              'PrunePropagationPolicy must be written PrunePropagationPolicy=foreground or PrunePropagationPolicy=background or PrunePropagationPolicy=orphan',
          },
        ],
      },
    ],
    [
      ['Delete=false'],
      {
        options: {},
        problems: [
          {
            field: 'spec.syncPolicy.syncOptions[0]',
            rule: 'sync-option-level',
            message:
              'Delete is a per-resource option; set it in the argocd.argoproj.io/sync-options annotation',
          },
        ],
      },
    ],
    [
      ['Prune=false', 'Prune=true'],
      {
        options: { prune: 'false' },
        problems: [
          {
            field: 'spec.syncPolicy.syncOptions[1]',
            rule: 'sync-option-conflict',
            message: 'Prune is given twice with different values',
          },
        ],
      },
    ],
  ])('parses %j', (entries, expected) => {
    expect(parseAppSyncOptions(entries)).toEqual(expected);
  });
});

describe('parseResourceSyncOptions', () => {
  it.each<[string, ParsedSyncOptions]>([
    ['Prune=false', { options: { prune: 'false' }, problems: [] }],
    [
      'Prune=false, Delete=confirm ,ServerSideApply=true',
      { options: { prune: 'false', delete: 'confirm', serverSideApply: true }, problems: [] },
    ],
    ['Force=true,Replace=true', { options: { force: true, replace: true }, problems: [] }],
    [
      'CreateNamespace=true',
      {
        options: {},
        problems: [
          {
            field: ANNOTATION_FIELD,
            rule: 'sync-option-level',
            message:
              'CreateNamespace applies to the whole Application; set it in spec.syncPolicy.syncOptions',
          },
        ],
      },
    ],
    [
      'Prune=no',
      {
        options: {},
        problems: [
          {
            field: ANNOTATION_FIELD,
            rule: 'sync-option-value',
            message: 'Prune must be written Prune=true or Prune=false or Prune=confirm',
          },
        ],
      },
    ],
  ])('parses %j', (annotation, expected) => {
    expect(parseResourceSyncOptions(annotated(annotation))).toEqual(expected);
  });

  it('lets a resource override the Application', () => {
    expect(
      effectiveSyncOptions({ serverSideApply: true, pruneLast: true }, { serverSideApply: false }),
    ).toEqual({
      serverSideApply: false,
      pruneLast: true,
    });
  });
});
