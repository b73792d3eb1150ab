import { application, stored } from '../testing/control-harness';
import { HealthStatusCode } from '../../health/health-status';
import { PackedApplication, healthShown } from './app-entry';

describe(PackedApplication.name, () => {
  it('keeps everything but the history, which stays in Postgres', () => {
    const entry = {
      id: 3,
      revision: 'abc',
      deployedAt: '2026-12-02T03:00:00Z',
      initiatedBy: { automated: true },
    };
    const app = stored(application('web'), {
      status: {
        sync: { status: 'Synced', revision: 'abc' },
        health: { status: 'Healthy' },
        history: [entry, { ...entry, id: 4 }],
      },
    });
    const unpacked = new PackedApplication(app).unpack();
    expect(unpacked.status.history).toEqual([]);
    expect(unpacked).toEqual({ ...app, status: { ...app.status, history: [] } });
    // The caller's Application is left as it was
    expect(app.status.history).toHaveLength(2);
  });

  it('packs an Application without a history as it is', () => {
    const app = stored(application('web'));
    expect(new PackedApplication(app).unpack()).toEqual(app);
  });
});

describe(healthShown.name, () => {
  const web = {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
  };
  const db = { ...web, kind: 'StatefulSet', name: 'db' };
  const shown = (health: HealthStatusCode) => ({
    ...web,
    status: 'Synced' as const,
    health: { status: health, message: '' },
  });

  it('is true when every reported object shows its latest reported health', () => {
    const reports = [
      { ref: web, health: 'Progressing' as const },
      { ref: web, health: 'Healthy' as const },
    ];
    expect(healthShown(reports, [shown('Healthy')])).toBe(true);
    expect(healthShown([], [shown('Healthy')])).toBe(true);
  });

  it('is false when an object shows another health, or is not listed', () => {
    expect(healthShown([{ ref: web, health: 'Degraded' }], [shown('Healthy')])).toBe(false);
    expect(healthShown([{ ref: db, health: 'Healthy' }], [shown('Healthy')])).toBe(false);
  });
});
