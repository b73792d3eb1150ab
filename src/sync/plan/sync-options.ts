/**
 * Sync options, set for a whole Application in `spec.syncPolicy.syncOptions`
 * or for one resource in the annotation `argocd.argoproj.io/sync-options`
 * (comma-separated), with Argo CD's names and values (semantics.md B4,
 * docs/user-guide/sync-options.md).
 *
 * Deliberate difference: Argo silently ignores an option it does not know
 * (`prune=false` in lower case does nothing there); here any unknown option,
 * unknown value, or option given at the wrong level is an error naming it,
 * so a typo cannot quietly leave a resource unprotected from pruning.
 */
import { FieldProblem, fieldPath } from '../../common/field-problem';
import { SYNC_OPTIONS_ANNOTATION } from '../manifests/annotations';
import { KubeObject, annotationList } from '../manifests/kube-object';

/** The parsed options; a key is present only when the option was given. */
export interface SyncOptions {
  createNamespace?: boolean;
  pruneLast?: boolean;
  prune?: 'true' | 'false' | 'confirm';
  delete?: 'true' | 'false' | 'confirm';
  applyOutOfSyncOnly?: boolean;
  replace?: boolean;
  force?: boolean;
  serverSideApply?: boolean;
  validate?: boolean;
  skipDryRunOnMissingResource?: boolean;
  prunePropagationPolicy?: 'foreground' | 'background' | 'orphan';
  failOnSharedResource?: boolean;
  respectIgnoreDifferences?: boolean;
}

type Level = 'app' | 'resource';

interface OptionSpec {
  readonly field: keyof SyncOptions;
  readonly values: readonly string[];
  readonly levels: readonly Level[];
}

const BOOLEAN = ['true', 'false'] as const;
const BOTH: readonly Level[] = ['app', 'resource'];

// Where each option is meaningful follows Argo's documentation: options about
// the Application as a whole (its namespace, how it prunes and compares) are
// app-level only; `Delete` describes one resource's fate on app deletion.
const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  CreateNamespace: { field: 'createNamespace', values: BOOLEAN, levels: ['app'] },
  PruneLast: { field: 'pruneLast', values: BOOLEAN, levels: BOTH },
  Prune: { field: 'prune', values: ['true', 'false', 'confirm'], levels: BOTH },
  Delete: { field: 'delete', values: ['true', 'false', 'confirm'], levels: ['resource'] },
  ApplyOutOfSyncOnly: { field: 'applyOutOfSyncOnly', values: BOOLEAN, levels: ['app'] },
  Replace: { field: 'replace', values: BOOLEAN, levels: BOTH },
  Force: { field: 'force', values: BOOLEAN, levels: BOTH },
  ServerSideApply: { field: 'serverSideApply', values: BOOLEAN, levels: BOTH },
  Validate: { field: 'validate', values: BOOLEAN, levels: BOTH },
  SkipDryRunOnMissingResource: {
    field: 'skipDryRunOnMissingResource',
    values: BOOLEAN,
    levels: BOTH,
  },
  PrunePropagationPolicy: {
    field: 'prunePropagationPolicy',
    values: ['foreground', 'background', 'orphan'],
    levels: ['app'],
  },
  FailOnSharedResource: { field: 'failOnSharedResource', values: BOOLEAN, levels: ['app'] },
  RespectIgnoreDifferences: { field: 'respectIgnoreDifferences', values: BOOLEAN, levels: ['app'] },
};

/** The option names Argo CD defines, in documentation order. */
export const KNOWN_SYNC_OPTIONS: readonly string[] = Object.keys(OPTIONS);

/** Parsed options and the problems of the entries that could not be parsed. */
export interface ParsedSyncOptions {
  readonly options: SyncOptions;
  readonly problems: FieldProblem[];
}

/**
 * Parses `spec.syncPolicy.syncOptions` (pure function); each problem names
 * its list entry (`spec.syncPolicy.syncOptions[2]`).
 */
export function parseAppSyncOptions(
  entries: readonly string[] | undefined,
  field = 'spec.syncPolicy.syncOptions',
): ParsedSyncOptions {
  return parseEntries(
    (entries ?? []).map((entry, i) => ({ text: entry, field: fieldPath(field, i) })),
    'app',
  );
}

/** Parses an object's `argocd.argoproj.io/sync-options` annotation (pure function). */
export function parseResourceSyncOptions(obj: KubeObject): ParsedSyncOptions {
  const field = fieldPath(fieldPath('metadata', 'annotations'), SYNC_OPTIONS_ANNOTATION);
  return parseEntries(
    annotationList(obj, SYNC_OPTIONS_ANNOTATION).map((text) => ({ text, field })),
    'resource',
  );
}

/** The options in force for one resource: its own annotation overrides the Application's. */
export function effectiveSyncOptions(app: SyncOptions, resource: SyncOptions): SyncOptions {
  return { ...app, ...resource };
}

function parseEntries(entries: { text: string; field: string }[], level: Level): ParsedSyncOptions {
  const options: Record<string, string | boolean> = {};
  const problems: FieldProblem[] = [];
  for (const { text, field } of entries) {
    const trimmed = text.trim();
    const equals = trimmed.indexOf('=');
    const name = equals < 0 ? trimmed : trimmed.slice(0, equals);
    const spec = Object.prototype.hasOwnProperty.call(OPTIONS, name) ? OPTIONS[name] : undefined;
    if (!spec) {
      problems.push({ field, rule: 'unknown-sync-option', message: unknownMessage(name) });
      continue;
    }
    const value = equals < 0 ? undefined : trimmed.slice(equals + 1);
    if (value === undefined || !spec.values.includes(value)) {
      problems.push({
        field,
        rule: 'sync-option-value',
        message: `${name} must be written ${spec.values.map((v) => `${name}=${v}`).join(' or ')}`,
      });
      continue;
    }
    if (!spec.levels.includes(level)) {
      problems.push({
        field,
        rule: 'sync-option-level',
        message:
          level === 'app'
            ? `${name} is a per-resource option; set it in the ${SYNC_OPTIONS_ANNOTATION} annotation`
            : `${name} applies to the whole Application; set it in spec.syncPolicy.syncOptions`,
      });
      continue;
    }
    const parsed = spec.values === BOOLEAN ? value === 'true' : value;
    if (spec.field in options && options[spec.field] !== parsed) {
      problems.push({
        field,
        rule: 'sync-option-conflict',
        message: `${name} is given twice with different values`,
      });
      continue;
    }
    options[spec.field] = parsed;
  }
  return { options: options as SyncOptions, problems };
}

function unknownMessage(name: string): string {
  const nearMiss = KNOWN_SYNC_OPTIONS.find((known) => known.toLowerCase() === name.toLowerCase());
  const hint = nearMiss
    ? `; did you mean ${nearMiss}?`
    : `; known options: ${KNOWN_SYNC_OPTIONS.join(', ')}`;
  return `unknown sync option "${name}"${hint}`;
}
