import { KubeObject } from '../manifests/kube-object';
import {
  compileIgnoreDifferences,
  diffIgnoring,
  ignoreDifferencesProblems,
  ignoredPaths,
  rulesFor,
  withIgnoredFromLive,
  withoutIgnored,
} from './ignore-differences';

const deployment = (replicas: number, containers: { name: string; image: string }[]) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      annotations: { 'example.com/injected': 'yes', keep: 'me' },
    },
    spec: { replicas, template: { spec: { containers } } },
  }) as KubeObject;

/** The container names of a Deployment `deployment` built. */
const containerNames = (object: KubeObject) =>
  (
    object.spec as { template: { spec: { containers: { name: string }[] } } }
  ).template.spec.containers.map((container) => container.name);

const ref = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

describe(compileIgnoreDifferences.name, () => {
  it('matches by kind and group, and by name and namespace only when given', () => {
    const rules = compileIgnoreDifferences([
      { kind: 'Deployment', group: 'apps', jsonPointers: ['/spec/replicas'] },
      { kind: 'Deployment', name: 'other', jsonPointers: ['/spec'] },
      { kind: 'Deployment', namespace: 'shop', jsonPointers: ['/metadata/labels'] },
      { kind: 'Deployment', group: 'extensions', jsonPointers: ['/spec'] },
      { kind: 'Service', jsonPointers: ['/spec'] },
    ]);
    expect(rulesFor(rules, ref).map((rule) => rule.paths.length)).toEqual([1, 1]);
    expect(rulesFor(rules, ref)[1].namespace).toBe('shop');
  });
});

describe(withoutIgnored.name, () => {
  it('leaves out JSON pointers, escapes read as RFC 6901 says, and keeps the rest', () => {
    const rules = compileIgnoreDifferences([
      {
        kind: 'Deployment',
        jsonPointers: ['/spec/replicas', '/metadata/annotations/example.com~1injected', '/nope'],
      },
    ]);
    const object = deployment(3, [{ name: 'web', image: 'nginx' }]);
    const stripped = withoutIgnored(object, rules) as unknown as {
      spec: { replicas?: number };
      metadata: { annotations: Record<string, string> };
    };
    expect(stripped.spec.replicas).toBeUndefined();
    expect(stripped.metadata.annotations).toEqual({ keep: 'me' });
    // The object itself is left alone
    expect((object.spec as { replicas: number }).replicas).toBe(3);
  });

  it('reads the array indexes of a pointer as numbers, removing later items first', () => {
    const rules = compileIgnoreDifferences([
      {
        kind: 'Deployment',
        jsonPointers: [
          '/spec/template/spec/containers/0',
          '/spec/template/spec/containers/2',
          '/spec/template/spec/containers/x',
        ],
      },
    ]);
    const object = deployment(1, [
      { name: 'a', image: '1' },
      { name: 'b', image: '2' },
      { name: 'c', image: '3' },
    ]);
    expect(ignoredPaths(rules, object)).toEqual([
      ['spec', 'template', 'spec', 'containers', 0],
      ['spec', 'template', 'spec', 'containers', 2],
    ]);
    expect(containerNames(withoutIgnored(object, rules))).toEqual(['b']);
  });

  it('leaves out what a jq path selects, array elements by a field', () => {
    const rules = compileIgnoreDifferences([
      {
        kind: 'Deployment',
        jqPathExpressions: [
          '.spec.template.spec.containers[] | select(.name == "istio-proxy")',
          '.spec.template.spec.containers[].env?',
          '.metadata.annotations["example.com/injected"]',
        ],
      },
    ]);
    const object = deployment(2, [
      { name: 'istio-proxy', image: 'proxy:1' },
      { name: 'web', image: 'nginx', env: [{ name: 'A', value: '1' }] } as never,
      { name: 'istio-proxy', image: 'proxy:2' },
    ]);
    const stripped = withoutIgnored(object, rules) as unknown as {
      spec: { template: { spec: { containers: unknown[] } } };
      metadata: { annotations: Record<string, string> };
    };
    expect(stripped.spec.template.spec.containers).toEqual([{ name: 'web', image: 'nginx' }]);
    expect(stripped.metadata.annotations).toEqual({ keep: 'me' });
  });
});

describe(withIgnoredFromLive.name, () => {
  it('takes the live value of an ignored field, and drops one the cluster does not have', () => {
    const rules = compileIgnoreDifferences([
      { kind: 'Deployment', jsonPointers: ['/spec/replicas', '/metadata/annotations/keep'] },
    ]);
    const desired = deployment(2, [{ name: 'web', image: 'nginx:2' }]);
    const live = {
      ...deployment(7, [{ name: 'web', image: 'nginx:1' }]),
      metadata: { name: 'web', namespace: 'shop' },
    } as KubeObject;
    const merged = withIgnoredFromLive(desired, live, rules) as unknown as {
      spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
      metadata: { annotations: Record<string, string> };
    };
    expect(merged.spec.replicas).toBe(7);
    expect(merged.spec.template.spec.containers[0].image).toBe('nginx:2');
    expect(merged.metadata.annotations).toEqual({ 'example.com/injected': 'yes' });
  });
});

describe('jqPathExpressions', () => {
  it('finds every concrete path, none for what is missing', () => {
    const rules = compileIgnoreDifferences([
      {
        kind: 'Deployment',
        jqPathExpressions: ['.spec.template.spec.containers[].image', '.status.x'],
      },
    ]);
    const object = deployment(1, [
      { name: 'a', image: '1' },
      { name: 'b', image: '2' },
    ]);
    expect(ignoredPaths(rules, object)).toEqual([
      ['spec', 'template', 'spec', 'containers', 0, 'image'],
      ['spec', 'template', 'spec', 'containers', 1, 'image'],
    ]);
  });
});

describe(ignoreDifferencesProblems.name, () => {
  it('names each entry it cannot honour', () => {
    expect(
      ignoreDifferencesProblems([
        { kind: 'Deployment', jsonPointers: ['/spec/replicas', 'spec/replicas'] },
        { kind: 'Deployment', jqPathExpressions: ['.spec | keys'] },
        { kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager', ' '] },
      ]).map((p) => `${p.field} ${p.rule}`),
    ).toEqual([
      'spec.ignoreDifferences[0].jsonPointers[1] json-pointer',
      'spec.ignoreDifferences[1].jqPathExpressions[0] jq-path',
      'spec.ignoreDifferences[2].managedFieldsManagers[1] non-empty',
    ]);
    expect(ignoreDifferencesProblems(undefined)).toEqual([]);
  });
});

describe(diffIgnoring.name, () => {
  const rules = compileIgnoreDifferences([
    { kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
  ]);
  const web = [{ name: 'web', image: 'nginx' }];

  it('finds no difference where only ignored fields differ, and the others still', () => {
    expect(diffIgnoring(deployment(2, web), deployment(5, web), rules).status).toBe('Synced');
    expect(diffIgnoring(deployment(2, web), deployment(5, web), []).status).toBe('OutOfSync');
    const other = diffIgnoring(
      deployment(2, web),
      deployment(5, [{ name: 'web', image: 'x' }]),
      rules,
    );
    expect(other.differences.map((d) => d.path)).toEqual([
      'spec.template.spec.containers[name=web].image',
    ]);
  });
});

describe('managedFieldsManagers', () => {
  const rules = compileIgnoreDifferences([
    { kind: 'Deployment', group: 'apps', managedFieldsManagers: ['hpa'] },
  ]);
  const web = [{ name: 'web', image: 'nginx:1' }];
  /** The Deployment live with `replicas` and `image`, the replicas last written by `manager`. */
  const scaled = (replicas: number, image: string, manager: string) =>
    ({
      ...deployment(replicas, [{ name: 'web', image }]),
      metadata: {
        ...deployment(replicas, web).metadata,
        managedFields: [
          { manager, operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
        ],
      },
    }) as KubeObject;

  it('does not count what a named manager changed, and counts what others did', () => {
    expect(diffIgnoring(deployment(2, web), scaled(5, 'nginx:1', 'hpa'), rules).status).toBe(
      'Synced',
    );
    expect(
      diffIgnoring(deployment(2, web), scaled(5, 'nginx:1', 'kubectl-edit'), rules).status,
    ).toBe('OutOfSync');
    const other = diffIgnoring(deployment(2, web), scaled(5, 'nginx:2', 'hpa'), rules);
    expect(other.differences.map((d) => d.path)).toEqual([
      'spec.template.spec.containers[name=web].image',
    ]);
  });

  it('keeps the live value on sync with RespectIgnoreDifferences', () => {
    const merged = withIgnoredFromLive(
      deployment(2, [{ name: 'web', image: 'nginx:2' }]),
      scaled(5, 'nginx:1', 'hpa'),
      rules,
    ) as unknown as {
      spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    };
    expect(merged.spec.replicas).toBe(5);
    expect(merged.spec.template.spec.containers[0].image).toBe('nginx:2');
    const unowned = withIgnoredFromLive(deployment(2, web), scaled(5, 'nginx:1', 'x'), rules);
    expect((unowned.spec as { replicas: number }).replicas).toBe(2);
  });
});
