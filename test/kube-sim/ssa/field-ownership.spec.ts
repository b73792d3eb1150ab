import { JsonMap } from '../api/json';
import { builtinTypes } from '../schema/builtin-field-types';
import {
  ApplyOutcome,
  ManagedFields,
  ManagerIdentity,
  applyConfiguration,
  managerKey,
  recordUpdate,
} from './field-ownership';
import { FieldSet } from './field-set';

const deploymentTypes = builtinTypes('Deployment');
const kubectl: ManagerIdentity = { manager: 'kubectl', operation: 'Apply' };
const fleet: ManagerIdentity = { manager: 'fleetplane', operation: 'Apply' };
const editor: ManagerIdentity = {
  manager: 'kubectl-edit',
  operation: 'Update',
  apiVersion: 'apps/v1',
};

function deployment(spec: JsonMap, labels: Record<string, string> = { app: 'web' }): JsonMap {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels }, spec };
}

const container = (image: string, extra: JsonMap = {}) => ({ name: 'web', image, ...extra });

function owned(fieldsV1: JsonMap, apiVersion = 'apps/v1') {
  return { set: FieldSet.fromFieldsV1(fieldsV1), apiVersion };
}

function managers(...entries: [ManagerIdentity, JsonMap][]): ManagedFields {
  return new Map(entries.map(([who, fields]) => [managerKey(who), owned(fields)]));
}

/** The outcome with field sets in fieldsV1 form, so whole results compare. */
function readable(outcome: ApplyOutcome) {
  if (outcome.kind !== 'applied') return outcome;
  const sets: Record<string, JsonMap> = {};
  for (const [key, { set }] of outcome.managed) sets[JSON.parse(key).manager] = set.toFieldsV1();
  return { kind: outcome.kind, object: outcome.object, managed: sets };
}

function apply(
  live: JsonMap | undefined,
  config: JsonMap,
  managed: ManagedFields,
  manager = kubectl,
  force = false,
) {
  return readable(
    applyConfiguration({
      live,
      config,
      type: deploymentTypes,
      managed,
      manager,
      apiVersion: 'apps/v1',
      force,
    }),
  );
}

const webSpec = (image: string, replicas = 2): JsonMap => ({
  replicas,
  selector: { matchLabels: { app: 'web' } },
  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container(image)] } },
});

const kubectlOwnsWeb: JsonMap = {
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
      },
    },
  },
};

describe('applyConfiguration', () => {
  it.each<[string, JsonMap | undefined, JsonMap, ManagedFields, ReturnType<typeof apply>]>([
    [
      'creates: the applier owns exactly what it set; selector is atomic (LabelSelector)',
      undefined,
      deployment(webSpec('nginx:1')),
      new Map(),
      {
        kind: 'applied',
        object: deployment(webSpec('nginx:1')),
        managed: { kubectl: kubectlOwnsWeb },
      },
    ],
    [
      're-applying the same configuration changes nothing',
      deployment(webSpec('nginx:1')),
      deployment(webSpec('nginx:1')),
      managers([kubectl, kubectlOwnsWeb]),
      {
        kind: 'applied',
        object: deployment(webSpec('nginx:1')),
        managed: { kubectl: kubectlOwnsWeb },
      },
    ],
    [
      'a label the applier stops applying is removed when nobody else owns it',
      deployment(webSpec('nginx:1'), { app: 'web', tier: 'front' }),
      deployment(webSpec('nginx:1')),
      managers([
        kubectl,
        { ...kubectlOwnsWeb, 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } } },
      ]),
      {
        kind: 'applied',
        object: deployment(webSpec('nginx:1')),
        managed: { kubectl: kubectlOwnsWeb },
      },
    ],
    [
      'a field another applier also owns stays when one stops applying it',
      deployment(webSpec('nginx:1'), { app: 'web', tier: 'front' }),
      deployment(webSpec('nginx:1')),
      managers(
        [
          kubectl,
          { ...kubectlOwnsWeb, 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } } },
        ],
        [fleet, { 'f:metadata': { 'f:labels': { 'f:tier': {} } } }],
      ),
      {
        kind: 'applied',
        object: deployment(webSpec('nginx:1'), { app: 'web', tier: 'front' }),
        managed: {
          kubectl: kubectlOwnsWeb,
          fleetplane: { 'f:metadata': { 'f:labels': { 'f:tier': {} } } },
        },
      },
    ],
    [
      'applying the value another manager set shares ownership without a conflict',
      deployment(webSpec('nginx:1', 5)),
      deployment(webSpec('nginx:1', 5)),
      managers([kubectl, kubectlOwnsWeb], [editor, { 'f:spec': { 'f:replicas': {} } }]),
      {
        kind: 'applied',
        object: deployment(webSpec('nginx:1', 5)),
        managed: { kubectl: kubectlOwnsWeb, 'kubectl-edit': { 'f:spec': { 'f:replicas': {} } } },
      },
    ],
    [
      'a container other managers added survives; the applied one merges by name',
      deployment({
        ...webSpec('nginx:1'),
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [container('nginx:1'), { name: 'sidecar', image: 'envoy' }] },
        },
      }),
      deployment(webSpec('nginx:2')),
      managers([kubectl, kubectlOwnsWeb]),
      {
        kind: 'applied',
        object: deployment({
          ...webSpec('nginx:2'),
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [container('nginx:2'), { name: 'sidecar', image: 'envoy' }] },
          },
        }),
        managed: { kubectl: kubectlOwnsWeb },
      },
    ],
  ])('%s', (_name, live, config, managed, expected) => {
    expect(apply(live, config, managed)).toEqual(expected);
  });

  it('reports a field another manager owns and the configuration changes', () => {
    const live = deployment(webSpec('nginx:1', 5));
    const managed = managers(
      [kubectl, kubectlOwnsWeb],
      [editor, { 'f:spec': { 'f:replicas': {} } }],
    );
    expect(apply(live, deployment(webSpec('nginx:1', 2)), managed)).toEqual({
      kind: 'conflicts',
      conflicts: [{ manager: managerKey(editor), path: ['f:spec', 'f:replicas'] }],
    });
  });

  it('with force takes the field over from the other manager', () => {
    const live = deployment(webSpec('nginx:1', 5));
    const managed = managers(
      [kubectl, kubectlOwnsWeb],
      [editor, { 'f:spec': { 'f:replicas': {}, 'f:paused': {} } }],
    );
    expect(apply(live, deployment(webSpec('nginx:1', 2)), managed, kubectl, true)).toEqual({
      kind: 'applied',
      object: deployment(webSpec('nginx:1', 2)),
      managed: { kubectl: kubectlOwnsWeb, 'kubectl-edit': { 'f:spec': { 'f:paused': {} } } },
    });
  });

  it('keys container ports by containerPort and the defaulted protocol', () => {
    const config = deployment({
      ...webSpec('nginx:1'),
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [container('nginx:1', { ports: [{ containerPort: 80 }] })] },
      },
    });
    const result = apply(undefined, config, new Map());
    expect(result.kind).toBe('applied');
    const sets = (result as { managed: Record<string, JsonMap> }).managed.kubectl;
    expect(JSON.stringify(sets)).toContain(
      '"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}',
    );
  });

  it('refuses duplicate keys with the path SMD prints', () => {
    const config = deployment({
      ...webSpec('nginx:1'),
      template: { spec: { containers: [container('a', { env: [{ name: 'X' }, { name: 'X' }] })] } },
    });
    expect(apply(undefined, config, new Map())).toEqual({
      kind: 'invalid',
      problems: [
        {
          path: '.spec.template.spec.containers[name="web"].env',
          message: 'duplicate entries for key [name="X"]',
        },
      ],
    });
  });
});

describe('recordUpdate', () => {
  function update(live: JsonMap | undefined, next: JsonMap, managed: ManagedFields) {
    const result = recordUpdate({
      live,
      next,
      type: deploymentTypes,
      managed,
      manager: editor,
      apiVersion: 'apps/v1',
    });
    return Object.fromEntries(
      [...result].map(([key, { set }]) => [JSON.parse(key).manager, set.toFieldsV1()]),
    );
  }

  it('on create owns every field, marking maps it brought into existence with "."', () => {
    expect(update(undefined, deployment({ replicas: 1 }), new Map())).toEqual({
      'kubectl-edit': {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': { 'f:replicas': {} },
      },
    });
  });

  it('takes over what it changes and drops what it removes from every owner', () => {
    const live = deployment(webSpec('nginx:1', 2), { app: 'web', tier: 'front' });
    const next = deployment(webSpec('nginx:1', 3));
    const managed = managers([
      kubectl,
      { ...kubectlOwnsWeb, 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } } },
    ]);
    const { 'f:spec': kubectlSpec, ...kubectlRest } = kubectlOwnsWeb as { 'f:spec': JsonMap };
    expect(update(live, next, managed)).toEqual({
      kubectl: {
        ...kubectlRest,
        'f:spec': { ...(kubectlSpec as JsonMap), 'f:replicas': undefined },
      },
      'kubectl-edit': { 'f:spec': { 'f:replicas': {} } },
    });
  });
});
