import { OperationState } from '../../status/status.types';
import { RequestedOperation } from '../sync-control.types';
import { MAX_RESUMES, Recovery, recoverInterrupted } from './recovery';

const running: OperationState = {
  operation: {
    revision: 'abc',
    prune: true,
    dryRun: false,
    initiatedBy: { automated: true },
  },
  phase: 'Running',
  message: 'sync started',
  startedAt: '2026-06-01T12:00:00.000Z',
  retryCount: 1,
};

const rollback: RequestedOperation = {
  id: 'r',
  kind: 'rollback',
  revision: 'abc',
  source: { repoURL: 'https://git.example.com/a.git', path: 'v1' },
  prune: false,
  dryRun: false,
  allowEmpty: false,
  initiatedBy: { username: 'api', automated: false },
  requestedAt: '2026-06-01T11:59:00.000Z',
};

describe(recoverInterrupted.name, () => {
  it.each<[string, OperationState | undefined, number, RequestedOperation | undefined, Recovery]>([
    ['no operation', undefined, 0, undefined, { action: 'none' }],
    ['a finished operation', { ...running, phase: 'Succeeded' }, 0, undefined, { action: 'none' }],
    [
      'a Running operation is resumed as it was asked',
      running,
      0,
      undefined,
      {
        action: 'resume',
        operation: {
          trigger: 'resume',
          revision: 'abc',
          prune: true,
          dryRun: false,
          allowEmpty: true,
          retryCount: 1,
          initiatedBy: { automated: true },
        },
      },
    ],
    [
      'a resumed rollback renders its history source again',
      running,
      1,
      rollback,
      {
        action: 'resume',
        operation: expect.objectContaining({ source: rollback.source, manual: rollback }),
      },
    ],
    [
      'an operation interrupted too often ends in Error',
      running,
      MAX_RESUMES,
      undefined,
      {
        action: 'finish',
        phase: 'Error',
        message: 'the sync was interrupted 3 times (the process running it stopped); giving up',
      },
    ],
    [
      'a Terminating operation ends Failed',
      { ...running, phase: 'Terminating', message: 'operation is terminating' },
      0,
      undefined,
      {
        action: 'finish',
        phase: 'Failed',
        message: 'operation is terminating; the process running it stopped before it finished',
      },
    ],
  ])('%s', (_name, state, resumes, manual, expected) => {
    expect(recoverInterrupted(state, resumes, manual)).toEqual(expected);
  });
});
