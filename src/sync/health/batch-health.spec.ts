import { KubeObject } from '../manifests/kube-object';
import { assessHealth } from './assess-health';
import { HealthStatus } from './health-status';

const job = (status: object, spec: object = {}): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'j', namespace: 'n' },
  spec,
  status,
});
const cronJob = (spec: object, status?: object): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'c', namespace: 'n' },
  spec,
  ...(status ? { status } : {}),
});

describe('Job health (B2 row "Job")', () => {
  it.each<[string, KubeObject, HealthStatus]>([
    ['no condition yet', job({ active: 1 }), { status: 'Progressing', message: '' }],
    [
      'Complete',
      job({ conditions: [{ type: 'Complete', status: 'True', message: 'done' }] }),
      { status: 'Healthy', message: 'done' },
    ],
    [
      'Failed',
      job({ conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] }),
      { status: 'Degraded', message: 'BackoffLimitExceeded' },
    ],
    [
      'Failed wins over Complete',
      job({
        conditions: [
          { type: 'Complete', status: 'True' },
          { type: 'Failed', status: 'True', message: 'x' },
        ],
      }),
      { status: 'Degraded', message: 'x' },
    ],
    [
      'Suspended=True',
      job(
        { conditions: [{ type: 'Suspended', status: 'True', message: 'Job suspended' }] },
        { suspend: true },
      ),
      { status: 'Suspended', message: 'Job suspended' },
    ],
    [
      'Suspended=False (resumed): no longer Progressing, as gitops-engine',
      job({ conditions: [{ type: 'Suspended', status: 'False', message: 'Job resumed' }] }),
      { status: 'Healthy', message: 'Job resumed' },
    ],
  ])('%s', (_name, obj, expected) => {
    expect(assessHealth(obj)).toEqual(expected);
  });
});

describe('CronJob health (B2 row "CronJob")', () => {
  it.each<[string, KubeObject, HealthStatus]>([
    [
      'suspended',
      cronJob({ suspend: true }, { active: [{ name: 'x' }] }),
      { status: 'Suspended', message: 'CronJob is Suspended' },
    ],
    [
      'last job running',
      cronJob({}, { active: [{ name: 'c-1' }], lastScheduleTime: '2026-01-01T00:00:00Z' }),
      { status: 'Progressing', message: 'CronJob has active jobs' },
    ],
    [
      'never scheduled, no status',
      cronJob({}),
      { status: 'Healthy', message: 'CronJob has never run' },
    ],
    [
      'last run succeeded',
      cronJob(
        {},
        { lastScheduleTime: '2026-01-01T00:00:00Z', lastSuccessfulTime: '2026-01-01T00:00:30Z' },
      ),
      { status: 'Healthy', message: 'CronJob has run successfully' },
    ],
    [
      'last run failed',
      cronJob(
        {},
        { lastScheduleTime: '2026-01-02T00:00:00Z', lastSuccessfulTime: '2026-01-01T00:00:30Z' },
      ),
      { status: 'Degraded', message: 'CronJob has not run successfully' },
    ],
    [
      'scheduled, never succeeded',
      cronJob({}, { lastScheduleTime: '2026-01-02T00:00:00Z' }),
      { status: 'Degraded', message: 'CronJob has not run successfully' },
    ],
    [
      'a malformed time cannot be judged',
      cronJob({}, { lastScheduleTime: 'yesterday' }),
      {
        status: 'Unknown',
        message:
          'failed to assess the health of CronJob "c": status.lastScheduleTime must be an RFC 3339 time',
      },
    ],
  ])('%s', (_name, obj, expected) => {
    expect(assessHealth(obj)).toEqual(expected);
  });
});
