/**
 * Turns one context of a kubeconfig into a cluster registration (pure
 * function). Only self-contained credentials can be imported: files on the
 * caller's machine and exec/auth-provider plugins cannot run in the control
 * plane, so they are refused with a hint instead of being silently dropped.
 */
import { parse } from 'yaml';
import { yamlNestingViolation } from '../common/nesting-depth';
import { DomainError } from '../common/domain-error';
import { FieldProblem } from '../common/field-problem';
import { isPlainObject } from '../labels/label-rules';

export interface KubeconfigSelection {
  /** Server URL of the selected context's cluster. */
  readonly server: string;
  /** Context name (the default cluster name). */
  readonly context: string;
  /** A `credentials` object in the registration format. */
  readonly credentials: Record<string, unknown>;
}

const FLATTEN_HINT =
  'embed the data with `kubectl config view --flatten --minify --context <name>`';

/** Reads `contextName` (or the current context) out of a kubeconfig YAML document. */
export function selectKubeconfigContext(
  kubeconfig: unknown,
  contextName: unknown,
): KubeconfigSelection {
  if (typeof kubeconfig !== 'string' || kubeconfig.trim() === '') {
    throw DomainError.invalid([
      { field: 'kubeconfig', rule: 'required', message: 'must be the kubeconfig YAML as a string' },
    ]);
  }
  if (contextName !== undefined && (typeof contextName !== 'string' || contextName === '')) {
    throw DomainError.invalid([
      { field: 'context', rule: 'type', message: 'must be a context name' },
    ]);
  }
  const tooDeep = yamlNestingViolation(kubeconfig);
  if (tooDeep) {
    throw DomainError.invalid([
      {
        field: 'kubeconfig',
        rule: 'nesting-depth',
        message: `nests deeper than ${tooDeep.limit} levels (line ${kubeconfig.slice(0, tooDeep.offset).split('\n').length})`,
      },
    ]);
  }
  let doc: unknown;
  try {
    doc = parse(kubeconfig, { maxAliasCount: 100 });
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw DomainError.invalid([
      {
        field: 'kubeconfig',
        rule: 'yaml',
        message: `is not valid YAML${line ? ` (line ${line})` : ''}`,
      },
    ]);
  }
  if (!isPlainObject(doc)) {
    throw DomainError.invalid([
      {
        field: 'kubeconfig',
        rule: 'kubeconfig',
        message: 'must be a kubeconfig document (kind: Config)',
      },
    ]);
  }
  const name =
    (contextName as string | undefined) ??
    (typeof doc['current-context'] === 'string' ? doc['current-context'] : undefined);
  if (!name) {
    throw DomainError.invalid([
      {
        field: 'context',
        rule: 'required',
        message: 'the kubeconfig has no current-context; name the context to import',
      },
    ]);
  }
  const context = named(doc.contexts, name, 'context');
  if (!context) {
    throw DomainError.invalid([
      {
        field: 'context',
        rule: 'not-found',
        message: `context "${name}" is not in the kubeconfig (contexts: ${names(doc.contexts).join(', ') || 'none'})`,
      },
    ]);
  }
  const clusterName = context.cluster;
  const cluster =
    typeof clusterName === 'string' ? named(doc.clusters, clusterName, 'cluster') : undefined;
  if (!cluster) {
    throw DomainError.invalid([
      {
        field: 'kubeconfig',
        rule: 'kubeconfig',
        message: `context "${name}" refers to cluster "${String(clusterName)}", which is not in the kubeconfig`,
      },
    ]);
  }
  const userName = context.user;
  const user = typeof userName === 'string' ? (named(doc.users, userName, 'user') ?? {}) : {};

  const problems: FieldProblem[] = [];
  const refuse = (key: string, why: string) =>
    problems.push({ field: `kubeconfig.${key}`, rule: 'unsupported', message: why });
  if (cluster['certificate-authority'])
    refuse('clusters.certificate-authority', `file references cannot be imported; ${FLATTEN_HINT}`);
  if (cluster['tls-server-name'])
    refuse('clusters.tls-server-name', 'tls-server-name is not supported yet');
  if (cluster['proxy-url']) refuse('clusters.proxy-url', 'proxy-url is not supported yet');
  if (user['client-certificate'] || user['client-key'])
    refuse('users.client-certificate', `file references cannot be imported; ${FLATTEN_HINT}`);
  if (user.tokenFile)
    refuse(
      'users.tokenFile',
      `token files cannot be imported; put the token itself in the kubeconfig`,
    );
  if (user.exec)
    refuse(
      'users.exec',
      'exec credential plugins cannot run in the control plane; use a service-account bearer token or a client certificate',
    );
  if (user['auth-provider'])
    refuse(
      'users.auth-provider',
      'auth-provider plugins cannot run in the control plane; use a service-account bearer token or a client certificate',
    );
  if (user.username || user.password)
    refuse(
      'users.username',
      'basic authentication is not supported; use a bearer token or a client certificate',
    );
  if (typeof cluster.server !== 'string')
    refuse('clusters.server', `cluster "${String(clusterName)}" has no server URL`);
  if (problems.length > 0) throw DomainError.invalid(problems);

  const credentials: Record<string, unknown> = {};
  if (user.token !== undefined) credentials.bearerToken = user.token;
  if (user['client-certificate-data'] !== undefined)
    credentials.clientCertificateData = user['client-certificate-data'];
  if (user['client-key-data'] !== undefined) credentials.clientKeyData = user['client-key-data'];
  if (cluster['certificate-authority-data'] !== undefined)
    credentials.caData = cluster['certificate-authority-data'];
  if (cluster['insecure-skip-tls-verify'] !== undefined)
    credentials.insecureSkipTLSVerify = cluster['insecure-skip-tls-verify'];
  return { server: cluster.server as string, context: name, credentials };
}

/** Finds `{name, <kind>: {...}}` in a kubeconfig list and returns the inner object. */
function named(list: unknown, name: string, kind: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = list.find((item) => isPlainObject(item) && item.name === name) as
    Record<string, unknown> | undefined;
  const inner = entry?.[kind];
  return isPlainObject(inner) ? inner : entry ? {} : undefined;
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.filter(isPlainObject).map((item) => String(item.name)) : [];
}
