import { KubeObject } from '../manifests/kube-object';
import { ownedDifferences, withoutOwnManagedFields } from './managed-fields';

/** A Deployment as Git has it: two containers, three replicas. */
const desired = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { team: 'a' } },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }] },
          { name: 'proxy', image: 'envoy:1', args: ['--a'] },
        ],
      },
    },
  },
} as unknown as KubeObject;

/**
 * The same Deployment live: an autoscaler set the replicas to 7, a sidecar
 * injector changed the proxy's image and args, and the containers come in
 * the other order. `entries` are its managedFields.
 */
const live = (entries: unknown[]) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      labels: { team: 'b' },
      managedFields: entries,
    },
    spec: {
      replicas: 7,
      template: {
        spec: {
          containers: [
            { name: 'proxy', image: 'envoy:2', args: ['--b'] },
            { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }] },
          ],
        },
      },
    },
  }) as unknown as KubeObject;

const fleetplane = {
  manager: 'fleetplane',
  operation: 'Apply',
  fieldsV1: {
    'f:metadata': { 'f:labels': { 'f:team': {} } },
    'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': {} } } },
  },
};
const autoscaler = {
  manager: 'kube-controller-manager',
  operation: 'Update',
  subresource: 'scale',
  fieldsV1: { 'f:spec': { 'f:replicas': {} } },
};
const injector = {
  manager: 'sidecar-injector',
  operation: 'Update',
  fieldsV1: {
    'f:spec': {
      'f:template': {
        'f:spec': {
          'f:containers': {
            'k:{"name":"proxy"}': { '.': {}, 'f:image': {}, 'f:args': {} },
            'k:{"name":"web"}': {
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {} } },
            },
          },
        },
      },
    },
  },
};

describe(ownedDifferences.name, () => {
  it('finds the fields a named manager owns that differ, by path in each object', () => {
    expect(
      ownedDifferences(desired, live([fleetplane, autoscaler]), ['kube-controller-manager']),
    ).toEqual([{ desired: ['spec', 'replicas'], live: ['spec', 'replicas'] }]);
  });

  it('pairs keyed list items by their keys, wherever they sit in each list', () => {
    const found = ownedDifferences(desired, live([injector]), ['sidecar-injector']);
    expect(found).toEqual([
      {
        desired: ['spec', 'template', 'spec', 'containers', 1, 'image'],
        live: ['spec', 'template', 'spec', 'containers', 0, 'image'],
      },
      {
        desired: ['spec', 'template', 'spec', 'containers', 1, 'args'],
        live: ['spec', 'template', 'spec', 'containers', 0, 'args'],
      },
    ]);
  });

  it('leaves out equal fields, fields of other managers, and fields one side lacks', () => {
    const extra = {
      manager: 'kube-controller-manager',
      operation: 'Update',
      fieldsV1: { 'f:spec': { 'f:paused': {}, 'f:strategy': { 'f:type': {} } } },
    };
    expect(
      ownedDifferences(desired, live([fleetplane, extra]), ['kube-controller-manager']),
    ).toEqual([]);
    // The labels differ, but only Fleetplane owns them.
    expect(ownedDifferences(desired, live([fleetplane]), ['someone'])).toEqual([]);
    expect(ownedDifferences(desired, live([autoscaler]), [])).toEqual([]);
  });

  it('reads set items by value and indexes, and skips what it cannot read', () => {
    const wanted = {
      ...desired,
      spec: { finalizers: ['a', 'b'], ports: [1, 2] },
    } as unknown as KubeObject;
    const actual = {
      ...live([
        { manager: 'm', fieldsV1: { 'f:spec': { 'f:finalizers': { 'v:"b"': {} } } } },
        { manager: 'm', fieldsV1: { 'f:spec': { 'f:ports': { 'i:1': {}, 'i:9': {} } } } },
        { manager: 'm', fieldsV1: { 'f:spec': { 'f:ports': { 'k:{not json': {} } } } },
        { manager: 'm', fieldsV1: 'not a field set' },
        null,
      ]),
      spec: { finalizers: ['b'], ports: [1, 3] },
    } as unknown as KubeObject;
    // "b" is in both sets (equal); the second port differs.
    expect(ownedDifferences(wanted, actual, ['m'])).toEqual([
      { desired: ['spec', 'ports', 1], live: ['spec', 'ports', 1] },
    ]);
  });

  it('finds nothing in an object without managedFields', () => {
    const bare = { ...live([]), metadata: { name: 'web', namespace: 'shop' } } as KubeObject;
    expect(ownedDifferences(desired, bare, ['kube-controller-manager'])).toEqual([]);
  });
});

describe(withoutOwnManagedFields.name, () => {
  it("drops Fleetplane's entries and status updates, keeps other managers', changes nothing given", () => {
    const status = { manager: 'kube-controller-manager', subresource: 'status', fieldsV1: {} };
    const object = live([fleetplane, status, autoscaler, injector]);
    expect(withoutOwnManagedFields(object).metadata.managedFields).toEqual([autoscaler, injector]);
    expect(object.metadata.managedFields).toHaveLength(4);
  });

  it('leaves the field out when nothing is left, and returns an object without it as it is', () => {
    const object = live([fleetplane]);
    const stripped = withoutOwnManagedFields(object);
    expect(stripped.metadata).toEqual({ name: 'web', namespace: 'shop', labels: { team: 'b' } });
    expect(stripped.spec).toBe(object.spec);
    const bare = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    expect(withoutOwnManagedFields(bare)).toBe(bare);
  });
});
