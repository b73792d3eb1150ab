import { DomainError, DomainErrorCode } from '../../common/domain-error';
import {
  canTransition,
  completeOperation,
  isOperationCompleted,
  retryOperation,
  startOperation,
  terminateOperation,
} from './operation-state';
import { OperationPhase, OperationState, SyncOperation } from './status.types';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:01:00Z');
const operation: SyncOperation = {
  revision: 'abc123',
  prune: true,
  dryRun: false,
  initiatedBy: { username: 'ana', automated: false },
};
const running = startOperation(operation, T0);

describe('operation life cycle', () => {
  it('starts Running', () => {
    expect(running).toEqual({
      operation,
      phase: 'Running',
      message: 'sync started',
      startedAt: '2026-01-01T00:00:00.000Z',
      retryCount: 0,
    });
  });

  it('completes with the result', () => {
    const resources = [
      {
        group: '',
        version: 'v1',
        kind: 'ConfigMap',
        namespace: 'n',
        name: 'a',
        status: 'Synced' as const,
        message: 'configured',
        syncPhase: 'Sync',
      },
    ];
    expect(
      completeOperation(
        running,
        {
          phase: 'Succeeded',
          message: 'successfully synced',
          syncResult: { revision: 'abc123', resources },
        },
        T1,
      ),
    ).toEqual({
      ...running,
      phase: 'Succeeded',
      message: 'successfully synced',
      finishedAt: '2026-01-01T00:01:00.000Z',
      syncResult: { revision: 'abc123', resources },
    });
  });

  it('terminates a running operation, which then ends Failed', () => {
    const terminating = terminateOperation(running, 'operation is terminating due to timeout');
    expect(terminating).toEqual({
      ...running,
      phase: 'Terminating',
      message: 'operation is terminating due to timeout',
    });
    expect(
      completeOperation(terminating, { phase: 'Failed', message: 'Operation terminated' }, T1)
        .phase,
    ).toBe('Failed');
    expect(() => completeOperation(terminating, { phase: 'Succeeded', message: '' }, T1)).toThrow(
      new DomainError(
        DomainErrorCode.Conflict,
        'the sync operation is Terminating and cannot become Succeeded',
      ),
    );
  });

  it('refuses to terminate what is not running', () => {
    const done = completeOperation(running, { phase: 'Succeeded', message: '' }, T1);
    expect(() => terminateOperation(done)).toThrow(
      'no sync operation is running (it is Succeeded)',
    );
  });

  it('retries a failed operation with a higher retry count', () => {
    const failed: OperationState = completeOperation(
      running,
      { phase: 'Failed', message: 'one or more objects failed to apply' },
      T1,
    );
    expect(retryOperation(failed, T1)).toEqual({
      operation,
      phase: 'Running',
      message: 'retrying attempt #1',
      startedAt: '2026-01-01T00:01:00.000Z',
      retryCount: 1,
    });
    expect(retryOperation(failed, T1, 'def456').operation.revision).toBe('def456');
    expect(() => retryOperation(running, T1)).toThrow(
      'the sync operation is Running and cannot become Running',
    );
  });

  it.each<[OperationPhase, OperationPhase[]]>([
    ['Running', ['Terminating', 'Succeeded', 'Failed', 'Error']],
    ['Terminating', ['Failed', 'Error']],
    ['Succeeded', []],
    ['Failed', ['Running']],
    ['Error', ['Running']],
  ])('%s may become %j', (from, allowed) => {
    const phases: OperationPhase[] = ['Running', 'Terminating', 'Succeeded', 'Failed', 'Error'];
    expect(phases.filter((to) => canTransition(from, to))).toEqual(
      phases.filter((to) => allowed.includes(to)),
    );
  });

  it.each<[OperationPhase, boolean]>([
    ['Running', false],
    ['Terminating', false],
    ['Succeeded', true],
    ['Failed', true],
    ['Error', true],
  ])('%s completed: %s', (phase, expected) => {
    expect(isOperationCompleted(phase)).toBe(expected);
  });
});
