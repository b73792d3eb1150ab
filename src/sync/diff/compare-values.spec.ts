import { JsonValue } from '../manifests/kube-object';
import { CompareScope, Difference, compareValues } from './compare-values';

const deployment: CompareScope = { group: 'apps', kind: 'Deployment' };
const service: CompareScope = { group: '', kind: 'Service' };
const widget: CompareScope = { group: 'example.com', kind: 'Widget' };
const podSpec = (spec: object) => ({ spec: { template: { spec } } }) as JsonValue;

describe('compareValues', () => {
  it.each<[string, CompareScope, JsonValue, JsonValue, Difference[]]>([
    ['equal', deployment, { spec: { replicas: 2 } }, { spec: { replicas: 2 } }, []],
    [
      'a changed scalar',
      deployment,
      { spec: { replicas: 2 } },
      { spec: { replicas: 5 } },
      [{ path: 'spec.replicas', desired: 2, live: 5 }],
    ],
    [
      'a field only the server set is not drift',
      deployment,
      { spec: { replicas: 2 } },
      { spec: { replicas: 2, revisionHistoryLimit: 10 } },
      [],
    ],
    [
      'a desired field missing live',
      deployment,
      { spec: { paused: true } },
      { spec: {} },
      [{ path: 'spec.paused', desired: true }],
    ],
    [
      'a desired zero value matches an absent field',
      deployment,
      { spec: { paused: false, minReadySeconds: 0, selector: {} } },
      { spec: {} },
      [],
    ],
    [
      'a desired null sets nothing',
      deployment,
      { spec: { replicas: null } },
      { spec: { replicas: 3 } },
      [],
    ],
    [
      'a map that became a scalar',
      deployment,
      { spec: { strategy: { type: 'Recreate' } } },
      { spec: { strategy: 'x' } },
      [{ path: 'spec.strategy', desired: { type: 'Recreate' }, live: 'x' }],
    ],
    [
      'label keys with dots are quoted in paths',
      deployment,
      { metadata: { labels: { 'app.kubernetes.io/name': 'web', team: 'a' } } },
      {
        metadata: {
          labels: { 'app.kubernetes.io/name': 'api', team: 'a', extra: 'added-by-others' },
        },
      },
      [{ path: "metadata.labels['app.kubernetes.io/name']", desired: 'web', live: 'api' }],
    ],
    [
      'containers align by name, whatever the order, with server defaults ignored',
      deployment,
      podSpec({
        containers: [
          { name: 'web', image: 'web:2' },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      }),
      podSpec({
        containers: [
          { name: 'sidecar', image: 'proxy:1', imagePullPolicy: 'IfNotPresent' },
          { name: 'web', image: 'web:1', terminationMessagePath: '/dev/termination-log' },
        ],
      }),
      [{ path: 'spec.template.spec.containers[name=web].image', desired: 'web:2', live: 'web:1' }],
    ],
    [
      'a container another manager injected is not drift; a missing one is',
      deployment,
      podSpec({
        containers: [
          { name: 'web', image: 'w' },
          { name: 'gone', image: 'g' },
        ],
      }),
      podSpec({
        containers: [
          { name: 'web', image: 'w' },
          { name: 'istio-proxy', image: 'p' },
        ],
      }),
      [{ path: 'spec.template.spec.containers[name=gone]', desired: { name: 'gone', image: 'g' } }],
    ],
    [
      'env by name, ports by containerPort+protocol (TCP by default), volumeMounts by mountPath',
      deployment,
      podSpec({
        containers: [
          {
            name: 'web',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 80, name: 'http' }],
            volumeMounts: [{ mountPath: '/data', name: 'data' }],
          },
        ],
      }),
      podSpec({
        containers: [
          {
            name: 'web',
            env: [
              { name: 'B', value: '2' },
              { name: 'A', value: 'changed' },
            ],
            ports: [{ containerPort: 80, protocol: 'TCP', name: 'web' }],
            volumeMounts: [{ mountPath: '/data', name: 'other' }],
          },
        ],
      }),
      [
        {
          path: 'spec.template.spec.containers[name=web].env[name=A].value',
          desired: '1',
          live: 'changed',
        },
        {
          path: 'spec.template.spec.containers[name=web].ports[containerPort=80,protocol=TCP].name',
          desired: 'http',
          live: 'web',
        },
        {
          path: 'spec.template.spec.containers[name=web].volumeMounts[mountPath=/data].name',
          desired: 'data',
          live: 'other',
        },
      ],
    ],
    [
      'Service ports by port+protocol',
      service,
      {
        spec: {
          ports: [
            { port: 443, targetPort: 8443 },
            { port: 53, protocol: 'UDP', targetPort: 53 },
          ],
        },
      },
      {
        spec: {
          ports: [
            { port: 53, protocol: 'UDP', targetPort: 5353 },
            { port: 443, protocol: 'TCP', targetPort: 8443, nodePort: 30443 },
          ],
        },
      },
      [{ path: 'spec.ports[port=53,protocol=UDP].targetPort', desired: 53, live: 5353 }],
    ],
    [
      'other lists compare by position; server defaults inside items are not drift',
      widget,
      { spec: { rules: [{ host: 'a' }, { host: 'b' }] } },
      { spec: { rules: [{ host: 'a', pathType: 'Prefix' }, { host: 'c' }] } },
      [{ path: 'spec.rules[1].host', desired: 'b', live: 'c' }],
    ],
    [
      'other lists must keep their length',
      widget,
      { spec: { args: ['--a', '--b'] } },
      { spec: { args: ['--a'] } },
      [{ path: 'spec.args', desired: ['--a', '--b'], live: ['--a'] }],
    ],
    [
      'finalizers are a set: ours must be present, others may be added',
      deployment,
      { metadata: { finalizers: ['a.example.com/x', 'b.example.com/y'] } },
      { metadata: { finalizers: ['c.example.com/z', 'a.example.com/x'] } },
      [{ path: 'metadata.finalizers["b.example.com/y"]', desired: 'b.example.com/y' }],
    ],
    [
      'quantities compare by amount',
      deployment,
      podSpec({
        containers: [
          {
            name: 'w',
            resources: { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: 2 } },
          },
        ],
      }),
      podSpec({
        containers: [
          { name: 'w', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2' } } },
        ],
      }),
      [],
    ],
    [
      'a changed quantity is drift',
      deployment,
      podSpec({ containers: [{ name: 'w', resources: { limits: { memory: '512Mi' } } }] }),
      podSpec({ containers: [{ name: 'w', resources: { limits: { memory: '1Gi' } } }] }),
      [
        {
          path: 'spec.template.spec.containers[name=w].resources.limits.memory',
          desired: '512Mi',
          live: '1Gi',
        },
      ],
    ],
    [
      'quantity equivalence applies only to quantity fields',
      deployment,
      { metadata: { annotations: { size: '1000m' } } },
      { metadata: { annotations: { size: '1' } } },
      [{ path: 'metadata.annotations.size', desired: '1000m', live: '1' }],
    ],
  ])('%s', (_name, scope, desired, live, expected) => {
    expect(compareValues(desired, live, scope)).toEqual(expected);
  });
});
