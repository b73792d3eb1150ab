import { driftFingerprint, managerStamps, onlyFleetplaneChanged } from './drift-fingerprint';

const deployment = (
  overrides: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod', resourceVersion: '1', generation: 1, ...metadata },
  spec: { replicas: 1 },
  status: { replicas: 0 },
  ...overrides,
});

describe(driftFingerprint.name, () => {
  it('ignores status and server-maintained metadata', () => {
    expect(
      driftFingerprint(
        deployment(
          { status: { replicas: 1, availableReplicas: 1 } },
          { resourceVersion: '7', generation: 2, managedFields: [{ manager: 'x' }] },
        ),
      ),
    ).toBe(driftFingerprint(deployment()));
  });

  it('changes with the spec, labels or annotations', () => {
    const base = driftFingerprint(deployment());
    expect(driftFingerprint(deployment({ spec: { replicas: 2 } }))).not.toBe(base);
    expect(driftFingerprint(deployment({}, { labels: { a: 'b' } }))).not.toBe(base);
  });
});

describe(onlyFleetplaneChanged.name, () => {
  const times = (entries: [string, string, string][]) =>
    managerStamps({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'x',
        managedFields: entries.map(([manager, operation, time]) => ({ manager, operation, time })),
      },
    });

  it.each([
    [
      'fleetplane applied again',
      [['fleetplane', 'Apply', '10:00:00']],
      [['fleetplane', 'Apply', '10:00:05']],
      true,
    ],
    [
      'someone else edited',
      [['fleetplane', 'Apply', '10:00:00']],
      [
        ['fleetplane', 'Apply', '10:00:00'],
        ['kubectl-edit', 'Update', '10:00:05'],
      ],
      false,
    ],
    [
      'both moved',
      [
        ['fleetplane', 'Apply', '10:00:00'],
        ['kubectl-edit', 'Update', '10:00:00'],
      ],
      [
        ['fleetplane', 'Apply', '10:00:05'],
        ['kubectl-edit', 'Update', '10:00:05'],
      ],
      false,
    ],
    [
      'nothing moved (same second): cannot tell',
      [['fleetplane', 'Apply', 't']],
      [['fleetplane', 'Apply', 't']],
      false,
    ],
    ['created by fleetplane', undefined, [['fleetplane', 'Apply', 't']], true],
    [
      'fleetplane took back every field of another manager (its entry is gone)',
      [
        ['fleetplane', 'Apply', '10:00:00'],
        ['kubectl-edit', 'Update', '10:00:00'],
      ],
      [['fleetplane', 'Apply', '10:00:05']],
      true,
    ],
    [
      'a controller wrote status (another entry moved)',
      [['fleetplane', 'Apply', '10:00:00']],
      [
        ['fleetplane', 'Apply', '10:00:00'],
        ['kube-controller-manager', 'Update', '10:00:01'],
      ],
      false,
    ],
  ])('%s', (_name, before, after, expected) => {
    expect(
      onlyFleetplaneChanged(
        before ? times(before as [string, string, string][]) : undefined,
        times(after as [string, string, string][]),
      ),
    ).toBe(expected);
  });

  it('leaves out status writes: a controller updating status alongside an apply is not drift', () => {
    const deployment = (fleetplaneTime: string, statusTime: string) =>
      managerStamps({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'web',
          managedFields: [
            { manager: 'fleetplane', operation: 'Apply', time: fleetplaneTime, fieldsV1: {} },
            {
              manager: 'kube-controller-manager',
              operation: 'Update',
              subresource: 'status',
              time: statusTime,
              fieldsV1: { 'f:status': {} },
            },
          ],
        },
      });
    expect(deployment('t0', 's0')).toBe(deployment('t0', 's1'));
    expect(onlyFleetplaneChanged(deployment('t0', 's0'), deployment('t1', 's1'))).toBe(true);
  });

  it('sees a manager that wrote other fields within the same second', () => {
    // Fleetplane applied again while kubectl, within the same second as its last write, changed
    // the fields it owns: only the owned fields tell that kubectl moved too.
    const configMap = (fleetplaneTime: string, kubectlFields: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'x',
        managedFields: [
          { manager: 'fleetplane', operation: 'Apply', time: fleetplaneTime, fieldsV1: {} },
          { manager: 'kubectl-edit', operation: 'Update', time: 't', fieldsV1: kubectlFields },
        ],
      },
    });
    const before = managerStamps(configMap('t0', { 'f:data': { 'f:a': {} } }));
    const fleetplaneOnly = managerStamps(configMap('t1', { 'f:data': { 'f:a': {} } }));
    const kubectlToo = managerStamps(configMap('t1', { 'f:data': { 'f:b': {} } }));
    expect(onlyFleetplaneChanged(before, fleetplaneOnly)).toBe(true);
    expect(onlyFleetplaneChanged(before, kubectlToo)).toBe(false);
  });
});
