import { Application } from '../../../argo/application.types';
import { ApplicationSyncStatus } from '../sync-control.types';
import { unregisteredDestinationStatus } from './unregistered-destination';

const app = (destination: Application['spec']['destination']): Application => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'web-eu' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://git.example/web.git', targetRevision: 'main', path: 'web' },
    destination,
  },
});

const synced: ApplicationSyncStatus = {
  sync: { status: 'Synced', revision: 'c1' },
  health: { status: 'Healthy' },
  resources: [
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      status: 'Synced',
    },
  ],
  history: [
    {
      id: 0,
      revision: 'c1',
      deployedAt: '2026-12-01T10:00:00Z',
      initiatedBy: { automated: true },
      source: { repoURL: 'https://git.example/web.git', targetRevision: 'main', path: 'web' },
    },
  ],
  conditions: [],
};

describe('unregisteredDestinationStatus', () => {
  const now = new Date('2026-12-01T12:00:00Z');

  it('turns a removed cluster into Unknown with an InvalidSpecError, keeping history and revision', () => {
    const status = unregisteredDestinationStatus(
      app({ name: 'eu-1', namespace: 'shop' }),
      synced,
      'eu-1',
      now,
    );
    expect(status.sync).toMatchObject({
      status: 'Unknown',
      revision: 'c1',
      message: 'destination cluster "eu-1" is not registered',
    });
    expect(status.health).toEqual({
      status: 'Unknown',
      message: 'destination cluster "eu-1" is not registered',
    });
    expect(status.conditions).toEqual([
      {
        type: 'InvalidSpecError',
        message: 'destination cluster "eu-1" is not registered',
        lastTransitionTime: now.toISOString(),
      },
    ]);
    expect(status.history).toEqual(synced.history);
    expect(status.resources).toEqual(synced.resources);
  });

  it('names the destination when no cluster was ever resolved, and keeps the time it was first seen', () => {
    const first = unregisteredDestinationStatus(
      app({ server: 'https://gone.example:6443', namespace: 'shop' }),
      {},
      null,
      now,
    );
    expect(first.conditions[0].message).toBe(
      'no registered cluster matches the destination server "https://gone.example:6443"',
    );
    const later = unregisteredDestinationStatus(
      app({ server: 'https://gone.example:6443', namespace: 'shop' }),
      first,
      null,
      new Date('2026-12-01T13:00:00Z'),
    );
    expect(later).toEqual(first);
  });

  it('says why a deletion waits: the resources are pruned once the cluster is back', () => {
    const status = unregisteredDestinationStatus(
      app({ name: 'eu-1', namespace: 'shop' }),
      synced,
      'eu-1',
      now,
      '2026-12-01T11:00:00.000Z',
    );
    expect(status.deletionRequestedAt).toBe('2026-12-01T11:00:00.000Z');
    expect(status.conditions.map((c) => [c.type, c.message])).toEqual([
      ['InvalidSpecError', 'destination cluster "eu-1" is not registered'],
      [
        'DeletionError',
        'destination cluster "eu-1" is not registered: its resources are pruned once it is registered again (DELETE with cascade=false removes the Application and leaves them)',
      ],
    ]);
  });
});
