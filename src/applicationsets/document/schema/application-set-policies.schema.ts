/**
 * The ApplicationSet's own policies: `spec.syncPolicy` (semantics.md §3),
 * `strategy` (§5), `preservedFields` and `ignoreApplicationDifferences` (§3).
 * What Fleetplane does not implement yet is refused with a clear message
 * rather than ignored, since ignoring it would change what gets deployed.
 */
import {
  ApplicationSetSpec,
  ApplicationSetSyncPolicy,
  ApplicationsSyncPolicy,
} from '../../../argo/applicationset.types';
import { qualifiedNameProblems } from '../../../labels';
import { parseJqPath } from '../../../sync/diff/jq-parse';
import {
  FieldReader,
  SchemaContext,
  checkList,
  checkString,
  withoutUndefined,
} from './schema-context';

const APPLICATIONS_SYNC: readonly ApplicationsSyncPolicy[] = [
  'sync',
  'create-only',
  'create-update',
  'create-delete',
];

/** An RFC 6901 JSON pointer: empty, or `/`-separated tokens where `~` is only `~0` or `~1`. */
const JSON_POINTER = /^(\/([^~]|~[01])*)*$/;

/** Reads `spec.syncPolicy`. */
export function readApplicationSetSyncPolicy(reader: FieldReader): ApplicationSetSyncPolicy {
  return withoutUndefined({
    preserveResourcesOnDeletion: reader.boolean('preserveResourcesOnDeletion'),
    applicationsSync: reader.string('applicationsSync', {
      oneOf: APPLICATIONS_SYNC,
    }) as ApplicationsSyncPolicy | undefined,
  });
}

/**
 * Reads `spec.strategy`: only `AllAtOnce` is implemented. RollingSync
 * (progressive sync) is refused: accepting it would sync every Application
 * at once where the user asked for waves.
 */
export function readStrategy(
  ctx: SchemaContext,
  reader: FieldReader,
): ApplicationSetSpec['strategy'] {
  const type = reader.string('type', { oneOf: ['AllAtOnce', 'RollingSync'] });
  if (type === 'RollingSync') {
    ctx.problem(
      reader.at('type'),
      'unsupported',
      'RollingSync (progressive sync) is not supported yet; use AllAtOnce or remove strategy',
    );
  }
  reader.unsupported('rollingSync', 'rollingSync steps are not supported yet (RollingSync)');
  const deletionOrder = reader.string('deletionOrder', { oneOf: ['AllAtOnce', 'Reverse'] });
  if (deletionOrder === 'Reverse') {
    ctx.problem(
      reader.at('deletionOrder'),
      'unsupported',
      'deletionOrder: Reverse needs RollingSync steps, which are not supported yet',
    );
  }
  return withoutUndefined({ type, deletionOrder });
}

/**
 * Reads `spec.preservedFields`: label and annotation keys whose live values
 * the reconciler keeps when it updates an Application.
 */
export function readPreservedFields(
  ctx: SchemaContext,
  reader: FieldReader,
): ApplicationSetSpec['preservedFields'] {
  const keys = (key: 'labels' | 'annotations') =>
    reader.list(key, (item, field) => {
      const text = checkString(ctx, item, field, { templatable: false });
      if (text !== undefined) {
        qualifiedNameProblems(text).forEach((message) =>
          ctx.problem(field, key === 'labels' ? 'label-key' : 'annotation-key', message),
        );
      }
      return text;
    });
  return withoutUndefined({ annotations: keys('annotations'), labels: keys('labels') });
}

/**
 * Reads `spec.ignoreApplicationDifferences`: rules `{name?, jsonPointers,
 * jqPathExpressions}` whose fields keep their live values on update. A jq
 * expression must be one Fleetplane reads (sync/diff/jq-path.ts: paths
 * narrowed by `select`, no regular expressions).
 */
export function readIgnoreApplicationDifferences(
  ctx: SchemaContext,
  value: unknown,
  field: string,
): ApplicationSetSpec['ignoreApplicationDifferences'] {
  return checkList(ctx, value, field, (rule, ruleField) => {
    const reader = FieldReader.open(ctx, rule, ruleField);
    if (!reader) return undefined;
    const read = withoutUndefined({
      name: reader.string('name', { templatable: false }),
      jsonPointers: reader.list('jsonPointers', (pointer, pointerField) => {
        const text = checkString(ctx, pointer, pointerField, { templatable: false });
        if (text !== undefined && !JSON_POINTER.test(text)) {
          ctx.problem(
            pointerField,
            'json-pointer',
            `must be a JSON pointer such as /spec/source/targetRevision; found ${JSON.stringify(text)}`,
          );
        }
        return text;
      }),
      jqPathExpressions: reader.list('jqPathExpressions', (expression, expressionField) => {
        const text = checkString(ctx, expression, expressionField, { templatable: false });
        const parsed = text === undefined ? undefined : parseJqPath(text);
        if (typeof parsed === 'string') ctx.problem(expressionField, 'jq-path', parsed);
        return text;
      }),
    });
    reader.finish();
    return read;
  });
}
