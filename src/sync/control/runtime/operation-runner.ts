/**
 * Runs one sync operation of an Application: renders the operation's
 * revision when it is not the one compared (a pinned manual sync, a
 * rollback), applies the wipe-out guard, persists the operation as Running
 * before anything is sent to the cluster, runs the pass (abortable by
 * terminate, the sync timeout and the worker stopping), and works out the
 * completed operation, history, inventory and the auto-sync guard's memory.
 * A pass stopped because the worker stopped writes nothing: the operation
 * stays Running and the next holder of the cluster resumes it.
 */
import { recordedSources } from '../../../argo/application-sources';
import { Application, ApplicationSource } from '../../../argo/application.types';
import { Comparison, DesiredState, SyncPassResult } from '../../engine/engine.types';
import { Inventory } from '../../plan/inventory';
import { FailureDescriptor } from '../../retry/failure-classification';
import { completeOperation, startOperation, terminateOperation } from '../../status';
import { HistoryAppend } from '../../status/history';
import { OperationState, ResourceResult } from '../../status/status.types';
import { PlannedOperation } from '../decide/choose-operation';
import { failureOf } from '../decide/failure';
import { nextInventory } from '../decide/next-inventory';
import { LastAttempt, SyncedApplication } from '../sync-control.types';
import { PassContext, PassDeps } from './pass-deps';

/** The worker-owned memory an operation changes. */
export interface OperationMemory {
  readonly inventory: Inventory;
  readonly lastAttempt: LastAttempt | null;
  readonly selfHealAttempts: number;
  readonly resumeCount: number;
}

export interface OperationInput {
  readonly app: SyncedApplication;
  readonly operation: PlannedOperation;
  /** The comparison of this pass, at the tracked revision. */
  readonly tracked: { readonly desired: DesiredState; readonly comparison: Comparison };
  readonly specHash: string;
  readonly context: PassContext;
  /** Writes the Running operation (with the memory and the consumed request); false: lease lost. */
  readonly persistRunning: (state: OperationState, memory: OperationMemory) => Promise<boolean>;
  /**
   * Optional: writes the Running operation with the resources done so far, so a long sync shows
   * its progress (`syncResult.resources`) as Argo CD's does. Called at most every
   * `PROGRESS_INTERVAL_MS`, never for a sync shorter than that; must not throw.
   */
  readonly persistProgress?: (state: OperationState) => void;
}

/** Least time between two progress writes of one operation (and before the first). */
export const PROGRESS_INTERVAL_MS = 5_000;

export type OperationOutcome =
  | { readonly kind: 'stopped' }
  | {
      readonly kind: 'completed';
      readonly state: OperationState;
      /** The successful sync to add to the history (none for a failure or a dry run). */
      readonly historyAppend?: HistoryAppend;
      readonly memory: OperationMemory;
      readonly failure?: FailureDescriptor;
      /** A pass ran against the cluster (not a render error or refusal): compare again. */
      readonly touchedCluster: boolean;
      /** The executor's comparison after the pass, when it is one of the tracked revision. */
      readonly comparison?: Comparison;
    };

const START_MESSAGES: Record<PlannedOperation['trigger'], string> = {
  manual: 'sync started',
  rollback: 'rollback started',
  'new-target': 'sync started',
  retry: 'retrying',
  'self-heal': 'self-heal: reverting changes made on the cluster',
  resume: 'resumed: the replica running this sync stopped',
};

export async function runOperation(
  deps: PassDeps,
  input: OperationInput,
): Promise<OperationOutcome> {
  const { app, operation: op, context } = input;
  const state0 = app.state;
  const opApp = withRecordedSources(app.manifest, op);
  const revision = op.revision ?? input.tracked.comparison.revision;
  const syncOperation = {
    revision,
    prune: op.prune,
    dryRun: op.dryRun,
    initiatedBy: op.initiatedBy,
  };
  const running: OperationState = {
    ...startOperation(syncOperation, new Date(deps.now())),
    retryCount: op.retryCount,
    message:
      op.trigger === 'retry' ? `retrying attempt #${op.retryCount}` : START_MESSAGES[op.trigger],
  };
  const attempt = (
    phase: LastAttempt['phase'],
    extra: Partial<LastAttempt> = {},
  ): LastAttempt | null =>
    op.dryRun
      ? state0.lastAttempt
      : {
          revision,
          specHash: input.specHash,
          phase,
          retryCount: op.retryCount,
          trigger: op.trigger,
          ...(op.manual ? { manual: op.manual } : {}),
          ...extra,
        };
  const selfHealAttempts =
    op.trigger === 'self-heal'
      ? state0.selfHealAttempts + 1
      : op.trigger === 'new-target'
        ? 0
        : state0.selfHealAttempts;
  const runningMemory: OperationMemory = {
    inventory: state0.inventory,
    lastAttempt: attempt('Running'),
    selfHealAttempts,
    resumeCount: op.trigger === 'resume' ? state0.resumeCount + 1 : 0,
  };
  if (!(await input.persistRunning(running, runningMemory))) return { kind: 'stopped' };

  const finish = (
    state: OperationState,
    result: Pick<SyncPassResult, 'phase' | 'inventory' | 'resources' | 'failure'>,
    desired: DesiredState | undefined,
    touchedCluster: boolean,
    terminated = false,
  ): OperationOutcome => {
    const finishedAt = state.finishedAt ?? new Date(deps.now()).toISOString();
    const succeeded = state.phase === 'Succeeded' && !op.dryRun;
    const historyAppend: HistoryAppend | undefined = succeeded
      ? {
          entries: [
            {
              revision,
              deployedAt: finishedAt,
              deployStartedAt: state.startedAt,
              initiatedBy: op.initiatedBy,
              ...recordedSources(opApp),
            },
          ],
          limit: opApp.spec.revisionHistoryLimit,
        }
      : undefined;
    deps.metrics.operationFinished(app.name, app.destServer ?? '', state.phase);
    return {
      kind: 'completed',
      state,
      ...(historyAppend ? { historyAppend } : {}),
      touchedCluster,
      ...(result.failure ? { failure: result.failure } : {}),
      memory: {
        inventory: nextInventory(
          state0.inventory,
          { ...result, phase: state.phase as 'Succeeded' | 'Failed' | 'Error', dryRun: op.dryRun },
          desired?.objects ?? [],
        ),
        lastAttempt: attempt(state.phase, { finishedAt, ...(terminated ? { terminated } : {}) }),
        selfHealAttempts,
        resumeCount: 0,
      },
    };
  };
  const noResult = { inventory: [], resources: [] };

  // A pinned revision or a rollback source: render and compare what this operation deploys.
  let desired = input.tracked.desired;
  let comparison = input.tracked.comparison;
  if (revision !== comparison.revision || op.source || op.sources) {
    try {
      desired = await deps.renderer.render(opApp, revision, context.cluster);
      comparison = await deps.executor.compare(opApp, context.cluster, desired, state0.inventory);
    } catch (error) {
      const failure = failureOf(error);
      const state = completeOperation(
        running,
        { phase: 'Error', message: failure.message },
        new Date(deps.now()),
      );
      return finish(state, { ...noResult, phase: 'Error', failure }, undefined, false);
    }
  }
  if (op.prune && !op.allowEmpty && comparison.wouldPruneEverything) {
    const message =
      'refusing to prune every resource of the Application; sync with allowEmpty to empty it';
    const state = completeOperation(running, { phase: 'Failed', message }, new Date(deps.now()));
    return finish(state, { ...noResult, phase: 'Failed' }, undefined, false);
  }

  const abort = new AbortController();
  const stop = () => abort.abort('stopped');
  context.lifetime.addEventListener('abort', stop, { once: true });
  const timeout =
    deps.settings.syncTimeoutMs > 0
      ? setTimeout(() => abort.abort('timeout'), deps.settings.syncTimeoutMs)
      : undefined;
  context.operationStarted(abort, running);
  const progress = progressWriter(running, revision, input.persistProgress);
  let result: SyncPassResult;
  try {
    result = await deps.executor.sync({
      app: opApp,
      cluster: context.cluster,
      desired,
      inventory: state0.inventory,
      prune: op.prune,
      dryRun: op.dryRun,
      allowEmpty: op.allowEmpty,
      signal: abort.signal,
      ...(progress ? { onProgress: progress.report } : {}),
      ...(context.rest ? { rest: context.rest } : {}),
    });
  } catch (error) {
    const failure = failureOf(error);
    result = { phase: 'Error', message: failure.message, resources: [], inventory: [], failure };
  } finally {
    progress?.stop();
    clearTimeout(timeout);
    context.lifetime.removeEventListener('abort', stop);
  }
  if (abort.signal.reason === 'stopped') return { kind: 'stopped' };
  const now = new Date(deps.now());
  if (abort.signal.aborted) {
    const reason =
      abort.signal.reason === 'timeout'
        ? 'operation is terminating due to timeout'
        : 'operation is terminating';
    const state = completeOperation(
      terminateOperation(running, reason),
      {
        phase: 'Failed',
        message:
          abort.signal.reason === 'timeout'
            ? `sync timed out after ${deps.settings.syncTimeoutMs / 1000} s`
            : 'Operation terminated',
        syncResult: { revision, resources: result.resources },
      },
      now,
    );
    return finish(state, { ...result, phase: 'Failed' }, desired, true, true);
  }
  const state = completeOperation(
    running,
    {
      phase: result.phase,
      message: result.message,
      syncResult: { revision, resources: result.resources },
    },
    now,
  );
  const outcome = finish(state, result, desired, true);
  // Only a comparison of what the Application tracks can stand for its status.
  return result.comparison && desired === input.tracked.desired && outcome.kind === 'completed'
    ? { ...outcome, comparison: result.comparison }
    : outcome;
}

/**
 * Throttles the executor's progress reports into writes: the latest
 * resources are written when `PROGRESS_INTERVAL_MS` has passed since the
 * start or the last write, so a sync shorter than that writes nothing more.
 */
function progressWriter(
  running: OperationState,
  revision: string,
  persist: ((state: OperationState) => void) | undefined,
): { report: (resources: readonly ResourceResult[]) => void; stop: () => void } | undefined {
  if (!persist) return undefined;
  let latest: readonly ResourceResult[] = [];
  let lastWriteMs = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const flush = () => {
    timer = undefined;
    if (stopped) return;
    lastWriteMs = Date.now();
    persist({ ...running, syncResult: { revision, resources: [...latest] } });
  };
  return {
    report: (resources) => {
      latest = resources;
      if (timer || stopped) return;
      timer = setTimeout(flush, Math.max(0, lastWriteMs + PROGRESS_INTERVAL_MS - Date.now()));
      timer.unref();
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * The Application with the source(s) an operation deploys: a rollback
 * deploys those of its history entry, `spec.sources` when the entry has
 * them, else `spec.source`; any other operation, the Application's own.
 */
export function withRecordedSources(
  app: Application,
  recorded: {
    readonly source?: ApplicationSource;
    readonly sources?: readonly ApplicationSource[];
  },
): Application {
  const { source: _source, sources: _sources, ...spec } = app.spec;
  if (recorded.sources) return { ...app, spec: { ...spec, sources: [...recorded.sources] } };
  if (recorded.source) return { ...app, spec: { ...spec, source: recorded.source } };
  return app;
}
