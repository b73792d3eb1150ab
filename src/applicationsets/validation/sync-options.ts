/**
 * The Application sync options Fleetplane understands (semantics.md B4).
 * Argo CD compares sync options as exact strings (`CreateNamespace=true`), so
 * a misspelt key or value (`CreateNamespace=True`, `CreateNameSpace=true`) is
 * silently ignored there; Fleetplane refuses it instead.
 */
import { FieldProblem } from '../../common/field-problem';

const BOOLEAN = ['true', 'false'] as const;

/** Every known option key with the values it accepts (pure data). */
export const SYNC_OPTION_VALUES: Readonly<Record<string, readonly string[]>> = {
  ApplyOutOfSyncOnly: BOOLEAN,
  ClientSideApplyMigration: BOOLEAN,
  CreateNamespace: BOOLEAN,
  Delete: ['true', 'false', 'confirm'],
  FailOnSharedResource: BOOLEAN,
  Force: BOOLEAN,
  Prune: ['true', 'false', 'confirm'],
  PruneLast: BOOLEAN,
  PrunePropagationPolicy: ['foreground', 'background', 'orphan'],
  Replace: BOOLEAN,
  RespectIgnoreDifferences: BOOLEAN,
  ServerSideApply: BOOLEAN,
  SkipDryRunOnMissingResource: BOOLEAN,
  Validate: BOOLEAN,
};

export interface SyncOptionCheck {
  /**
   * True in ApplicationSet templates: the value part may hold `{{params}}`,
   * checked again once rendered. The key must always be literal, so that an
   * unknown option can never slip through a template.
   */
  readonly allowTemplatedValue: boolean;
}

/**
 * Problems of one `spec.syncPolicy.syncOptions` entry at `field`: it must be
 * `Key=Value` with a known key and one of that key's values. Empty when valid.
 */
export function syncOptionProblems(
  option: string,
  field: string,
  check: SyncOptionCheck = { allowTemplatedValue: false },
): FieldProblem[] {
  const separator = option.indexOf('=');
  const key = separator < 0 ? option : option.slice(0, separator);
  const value = separator < 0 ? undefined : option.slice(separator + 1);
  const allowed = Object.prototype.hasOwnProperty.call(SYNC_OPTION_VALUES, key)
    ? SYNC_OPTION_VALUES[key]
    : undefined;
  if (!allowed) {
    return [
      {
        field,
        rule: 'sync-option',
        message: `unknown sync option ${JSON.stringify(key)}; known options: ${Object.keys(SYNC_OPTION_VALUES).join(', ')} (Argo CD would silently ignore it)`,
      },
    ];
  }
  if (value === undefined) {
    return [{ field, rule: 'sync-option', message: `must be ${key}=<value>` }];
  }
  if (check.allowTemplatedValue && value.includes('{{')) return [];
  if (!allowed.includes(value)) {
    return [
      {
        field,
        rule: 'sync-option',
        message: `${key} must be one of ${allowed.map((v) => `${key}=${v}`).join(', ')}; found ${JSON.stringify(option)} (values are case-sensitive)`,
      },
    ];
  }
  return [];
}
