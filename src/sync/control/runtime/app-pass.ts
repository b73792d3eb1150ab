/**
 * One pass over one Application, run by its cluster worker (flux's
 * build → compare → apply → status, with Argo CD's decisions):
 * 1. finish or resume an operation a stopped replica left Running;
 * 2. resolve the target revision, render, compare with the cluster;
 * 3. choose an operation (request, retry, auto-sync guard) and run it;
 * 4. compare again after a sync, and write status and memory once, only
 *    when something changed: an unchanged Application costs reads only.
 */
import { Comparison, DesiredState } from '../../engine/engine.types';
import { buildStatus, sameStatus } from '../decide/build-status';
import { PlannedOperation, chooseOperation } from '../decide/choose-operation';
import { failureOf, isClusterFailure } from '../decide/failure';
import { withAdopted } from '../decide/next-inventory';
import { joinRevisions, sourcesOf } from '../../../argo/application-sources';
import { syncSpecHash } from '../decide/sync-spec-hash';
import { SyncedApplication } from '../sync-control.types';
import { runDeletion } from './deletion-pass';
import { runOperation } from './operation-runner';
import { PassContext, PassDeps } from './pass-deps';
import { PassOutcome, memoryOf, sameMemory } from './pass-outcome';
import { PassResult, failedComparison, recoverOperation } from './pass-result';

export class ApplicationPass {
  constructor(private readonly deps: PassDeps) {}

  async run(app: SyncedApplication, context: PassContext): Promise<PassOutcome> {
    if (app.state.deletionRequestedAt) return runDeletion(this.deps, app, context);
    const result = await this.evaluate(app, context);
    if (result.outcome.stopped) return { ...result.outcome, app };
    return this.write(app, result);
  }

  private async evaluate(app: SyncedApplication, context: PassContext): Promise<PassResult> {
    const { deps } = this;
    const { state } = app;
    const result: PassResult = {
      memory: memoryOf(state),
      conditions: [],
      outcome: { cluster: 'untouched', transient: false },
    };
    const resume = recoverOperation(app, result, this.deps.now());
    const sources = sourcesOf(app.manifest);
    if (sources.length === 0) {
      result.comparisonError = 'spec.source is required';
      result.conditions.push({ type: 'InvalidSpecError', message: result.comparisonError });
      return result;
    }
    const requested = resume ? null : state.requestedOperation;
    let desired: DesiredState;
    let comparison: Comparison;
    try {
      // A manual sync of "the latest" resolves afresh instead of trusting the poll cache.
      const fresh = requested !== null && requested.revision === undefined;
      result.revision = joinRevisions(await deps.revisions.resolveAll(app.id, sources, fresh));
      desired = await deps.renderer.render(app.manifest, result.revision, context.cluster);
      for (const message of desired.warnings ?? []) {
        result.conditions.push({ type: 'RepeatedResourceWarning', message });
      }
    } catch (error) {
      return failedComparison(app, result, error, requested, false, deps.now(), !!resume);
    }
    try {
      comparison = await deps.executor.compare(
        app.manifest,
        context.cluster,
        desired,
        result.memory.inventory,
      );
      result.outcome = { ...result.outcome, cluster: 'ok' };
    } catch (error) {
      return failedComparison(app, result, error, requested, true, deps.now(), !!resume);
    }
    result.comparison = comparison;
    result.memory = {
      ...result.memory,
      inventory: withAdopted(result.memory.inventory, comparison.adopted),
    };

    const specHash = syncSpecHash(app.manifest);
    let planned: PlannedOperation | undefined = resume;
    if (!planned) {
      const choice = chooseOperation({
        app: app.manifest,
        requested,
        syncStatus: comparison.syncStatus,
        revision: comparison.revision,
        specHash,
        wouldPruneEverything: comparison.wouldPruneEverything,
        lastAttempt: result.memory.lastAttempt,
        selfHealAttempts: result.memory.selfHealAttempts,
        nowMs: deps.now(),
      });
      if (choice.action === 'run') planned = choice.operation;
      else if (choice.action === 'wait')
        result.outcome = { ...result.outcome, waitUntilMs: choice.untilMs };
      else if (choice.syncError)
        result.conditions.push({ type: 'SyncError', message: choice.syncError });
    }
    if (planned) {
      await this.operate(app, context, planned, { desired, comparison }, specHash, result);
    }
    return result;
  }

  /** Runs an operation and compares again afterwards. */
  private async operate(
    app: SyncedApplication,
    context: PassContext,
    operation: PlannedOperation,
    tracked: { desired: DesiredState; comparison: Comparison },
    specHash: string,
    result: PassResult,
  ): Promise<void> {
    const outcome = await runOperation(this.deps, {
      app: { ...app, state: { ...app.state, ...result.memory } },
      operation,
      tracked,
      specHash,
      context,
      persistProgress: (state) => {
        this.deps
          .write({ id: app.id, status: this.status(app, { ...result, operationState: state }) })
          .catch(() => undefined); // Progress is informational: the final write tells the outcome.
      },
      persistRunning: (state, memory) =>
        this.deps.write({
          id: app.id,
          status: this.status(app, { ...result, operationState: state }),
          state: memory,
          ...(operation.requestId ? { clearRequestId: operation.requestId } : {}),
          ...(result.clearTerminationAt ? { clearTerminationAt: result.clearTerminationAt } : {}),
        }),
    });
    if (outcome.kind === 'stopped') {
      result.outcome = { ...result.outcome, stopped: true };
      return;
    }
    result.operationState = outcome.state;
    result.historyAppend = outcome.historyAppend;
    result.memory = outcome.memory;
    // Consumed (cleared in the database with the Running write): never run it again from memory.
    if (operation.requestId) result.clearRequestId = operation.requestId;
    if (outcome.failure && isClusterFailure(outcome.failure)) {
      result.outcome = { ...result.outcome, cluster: 'failed', failure: outcome.failure };
    }
    if (!outcome.touchedCluster || operation.dryRun) return;
    if (outcome.comparison) {
      result.comparison = outcome.comparison;
      return;
    }
    try {
      result.comparison = await this.deps.executor.compare(
        app.manifest,
        context.cluster,
        tracked.desired,
        result.memory.inventory,
      );
    } catch (error) {
      result.comparison = undefined;
      const failure = failureOf(error);
      result.comparisonError = failure.message;
      result.clusterUnreachable = isClusterFailure(failure);
      result.conditions.push({ type: 'ComparisonError', message: failure.message });
      result.outcome = { ...result.outcome, transient: true };
    }
  }

  private status(app: SyncedApplication, result: PassResult) {
    const last = result.memory.lastAttempt;
    const conditions = [...result.conditions];
    const operationState = result.operationState ?? app.status.operationState;
    if (
      last &&
      (last.phase === 'Failed' || last.phase === 'Error') &&
      operationState &&
      !conditions.some((c) => c.type === 'SyncError')
    ) {
      conditions.push({ type: 'SyncError', message: operationState.message });
    }
    return buildStatus({
      app: app.manifest,
      previous: app.status,
      ...(result.comparison ? { comparison: result.comparison } : {}),
      ...(result.comparisonError !== undefined ? { comparisonError: result.comparisonError } : {}),
      clusterUnreachable: result.clusterUnreachable,
      revision: result.revision,
      operationState: result.operationState,
      conditions,
      deletionRequestedAt: app.state.deletionRequestedAt,
      now: new Date(this.deps.now()),
    });
  }

  /** Writes status and memory if either changed; reports the outcome. */
  private async write(app: SyncedApplication, result: PassResult): Promise<PassOutcome> {
    const status = this.status(app, result);
    const statusChanged = !sameStatus(status, app.status);
    const memoryChanged = !sameMemory(result.memory, memoryOf(app.state));
    const next: SyncedApplication = {
      ...app,
      status,
      state: {
        ...app.state,
        ...result.memory,
        ...(result.clearRequestId ? { requestedOperation: null } : {}),
        ...(result.clearTerminationAt ? { terminateRequestedAt: null } : {}),
      },
    };
    const outcome = { ...result.outcome, health: status.health.status };
    if (
      !statusChanged &&
      !memoryChanged &&
      !result.historyAppend &&
      !result.clearRequestId &&
      !result.clearTerminationAt
    ) {
      return { ...outcome, app: next };
    }
    const written = await this.deps.write({
      id: app.id,
      ...(statusChanged || result.historyAppend ? { status } : {}),
      ...(result.historyAppend ? { historyAppend: result.historyAppend } : {}),
      ...(memoryChanged ? { state: result.memory } : {}),
      ...(result.clearRequestId ? { clearRequestId: result.clearRequestId } : {}),
      ...(result.clearTerminationAt ? { clearTerminationAt: result.clearTerminationAt } : {}),
    });
    return { ...outcome, app: next, ...(written ? {} : { stopped: true }) };
  }
}
