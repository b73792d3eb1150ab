/**
 * `spec.syncPolicy` of an Application template: automated sync switches,
 * sync options (semantics.md B4), retry with backoff (B1) and the metadata of
 * a namespace the sync creates.
 */
import { RetryStrategy, SyncPolicy } from '../../../argo/application.types';
import { annotationMapProblems, labelMapProblems } from '../../../labels';
import { syncOptionProblems } from '../../validation/sync-options';
import { FieldReader, SchemaContext, checkString, withoutUndefined } from './schema-context';
import { isTemplated, untemplatedMapProblems } from './templating';

/**
 * Argo CD's backoff durations (`types.go`, `Backoff`): bare seconds (`30`)
 * or a Go duration (`5s`, `3m`, `1h30m`, `1.5h`, `500ms`).
 */
const DURATION = /^(\d+|(\d+(\.\d+)?(ns|us|µs|μs|ms|s|m|h))+)$/;

/** Reads an Application `syncPolicy` at `field`. */
export function readSyncPolicy(ctx: SchemaContext, reader: FieldReader): SyncPolicy {
  const policy = withoutUndefined({
    automated: reader.object('automated', (automated) =>
      withoutUndefined({
        prune: automated.boolean('prune'),
        selfHeal: automated.boolean('selfHeal'),
        allowEmpty: automated.boolean('allowEmpty'),
        enabled: automated.boolean('enabled'),
      }),
    ),
    syncOptions: reader.list('syncOptions', (option, field) => {
      const text = checkString(ctx, option, field);
      if (text !== undefined) {
        ctx.addProblems(syncOptionProblems(text, field, { allowTemplatedValue: true }));
      }
      return text;
    }),
    retry: reader.object('retry', (retry) => readRetry(ctx, retry)),
    managedNamespaceMetadata: reader.object('managedNamespaceMetadata', (metadata) => {
      const labels = metadata.take('labels');
      const annotations = metadata.take('annotations');
      if (labels !== undefined) {
        ctx.addProblems(untemplatedMapProblems(labels, metadata.at('labels'), labelMapProblems));
      }
      if (annotations !== undefined) {
        ctx.addProblems(
          untemplatedMapProblems(annotations, metadata.at('annotations'), annotationMapProblems),
        );
      }
      return withoutUndefined({
        labels: labels as Record<string, string> | undefined,
        annotations: annotations as Record<string, string> | undefined,
      });
    }),
  });
  return policy;
}

function readRetry(ctx: SchemaContext, retry: FieldReader): RetryStrategy {
  return withoutUndefined({
    // Negative means unlimited, zero none (semantics.md B1).
    limit: retry.integer('limit'),
    refresh: retry.boolean('refresh'),
    backoff: retry.object('backoff', (backoff) =>
      withoutUndefined({
        duration: readDuration(ctx, backoff, 'duration'),
        // Argo CD's type is int64. A factor below 1 would shrink the wait
        // after each failure into a retry storm, so it is refused.
        factor: backoff.integer('factor', 1),
        maxDuration: readDuration(ctx, backoff, 'maxDuration'),
      }),
    ),
  });
}

function readDuration(ctx: SchemaContext, reader: FieldReader, key: string): string | undefined {
  const value = reader.string(key);
  if (value !== undefined && !isTemplated(value) && !DURATION.test(value)) {
    ctx.problem(
      reader.at(key),
      'duration',
      `must be seconds ("30") or a duration such as "5s", "3m", "1h"; found ${JSON.stringify(value)}`,
    );
  }
  return value;
}
