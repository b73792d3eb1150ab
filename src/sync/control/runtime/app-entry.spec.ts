import { application, stored } from '../testing/control-harness';
import { PackedApplication } from './app-entry';

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
