/**
 * Validation of cluster registry requests (pure functions). Every rule names
 * its field; every failure is collected so one response lists them all.
 * Rules follow Kubernetes (labels, annotations) and Argo CD (free-form names).
 */
import { isIP } from 'node:net';
import { DomainError } from '../common/domain-error';
import { FieldProblem, fieldPath } from '../common/field-problem';
import {
  annotationMapProblems,
  dnsSubdomainProblems,
  isPlainObject,
  labelMapProblems,
  labelValueProblems,
  qualifiedNameProblems,
} from '../labels/label-rules';
import { ParsedCredentials, parseCredentials } from './cluster-credentials';

export const MAX_CLUSTER_NAME_LENGTH = 253;

export interface RegisterClusterInput {
  readonly name: string;
  readonly server: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly project: string | null;
  readonly credentials: ParsedCredentials | null;
}

/** A PATCH: absent fields stay; `null` label/annotation values remove keys; `credentials: null` clears them. */
export interface UpdateClusterInput {
  readonly server?: string;
  readonly labels?: Record<string, string | null>;
  readonly annotations?: Record<string, string | null>;
  readonly project?: string | null;
  readonly credentials?: ParsedCredentials | null;
}

/** Problems of a cluster name: 1–253 characters, none of them control or format characters. */
export function clusterNameProblems(name: unknown, field = 'name'): FieldProblem[] {
  if (typeof name !== 'string') return [{ field, rule: 'required', message: 'must be a string' }];
  const length = [...name].length;
  if (length === 0 || length > MAX_CLUSTER_NAME_LENGTH) {
    return [
      { field, rule: 'length', message: `must be 1 to ${MAX_CLUSTER_NAME_LENGTH} characters` },
    ];
  }
  // Printable only: no control (Cc), format (Cf), surrogate, private-use or unassigned code points, no line separators.
  if (/[\p{C}\p{Zl}\p{Zp}]/u.test(name)) {
    return [
      {
        field,
        rule: 'printable',
        message: 'must contain only printable characters (no control characters)',
      },
    ];
  }
  return [];
}

/**
 * Problems of an API server URL: `https://`, or `http://` only for a
 * loopback host; no credentials, query or fragment in the URL.
 */
export function serverUrlProblems(server: unknown, field = 'server'): FieldProblem[] {
  if (typeof server !== 'string' || server.length === 0) {
    return [
      {
        field,
        rule: 'required',
        message: 'must be the API server URL, e.g. https://10.0.0.1:6443',
      },
    ];
  }
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return [
      { field, rule: 'url', message: 'must be an absolute URL such as https://10.0.0.1:6443' },
    ];
  }
  if (url.username || url.password) {
    return [
      {
        field,
        rule: 'url-credentials',
        message: 'must not contain credentials; use the credentials field',
      },
    ];
  }
  if (url.search || url.hash)
    return [{ field, rule: 'url', message: 'must not contain a query or fragment' }];
  if (url.protocol === 'https:') return [];
  if (url.protocol === 'http:') {
    return isLoopback(url.hostname)
      ? []
      : [
          {
            field,
            rule: 'url-scheme',
            message: 'must use https:// (plain http:// is allowed only for loopback addresses)',
          },
        ];
  }
  return [
    {
      field,
      rule: 'url-scheme',
      message: `must use https:// (got ${url.protocol.replace(/:$/, '')})`,
    },
  ];
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** An Argo CD project name is a Kubernetes object name (DNS-1123 subdomain). */
export function projectProblems(project: unknown, field = 'project'): FieldProblem[] {
  if (project === null || project === undefined) return [];
  if (typeof project !== 'string')
    return [{ field, rule: 'type', message: 'must be a string or null' }];
  return dnsSubdomainProblems(project).map((message) => ({ field, rule: 'project-name', message }));
}

const REGISTER_FIELDS = ['name', 'server', 'labels', 'annotations', 'project', 'credentials'];
const UPDATE_FIELDS = ['server', 'labels', 'annotations', 'project', 'credentials'];

/** Validates a registration body; throws DomainError (Invalid) listing every problem. */
export function parseRegisterRequest(body: unknown): RegisterClusterInput {
  const object = requireObject(body);
  const problems = [
    ...unknownFields(object, REGISTER_FIELDS, ''),
    ...clusterNameProblems(object.name),
    ...serverUrlProblems(object.server),
    ...(object.labels === undefined ? [] : labelMapProblems(object.labels, 'labels')),
    ...(object.annotations === undefined
      ? []
      : annotationMapProblems(object.annotations, 'annotations')),
    ...projectProblems(object.project),
  ];
  const credentials =
    object.credentials === undefined || object.credentials === null
      ? undefined
      : parseCredentials(object.credentials, 'credentials');
  problems.push(...(credentials?.problems ?? []));
  if (problems.length > 0) throw DomainError.invalid(problems);
  return {
    name: object.name as string,
    server: object.server as string,
    labels: { ...((object.labels as Record<string, string>) ?? {}) },
    annotations: { ...((object.annotations as Record<string, string>) ?? {}) },
    project: (object.project as string | undefined) ?? null,
    credentials: credentials?.value ?? null,
  };
}

/** Validates a PATCH body. `name` cannot change (Applications refer to it). */
export function parseUpdateRequest(body: unknown): UpdateClusterInput {
  const object = requireObject(body);
  const problems = unknownFields(object, [...UPDATE_FIELDS, 'name'], '');
  if ('name' in object) {
    problems.push({
      field: 'name',
      rule: 'immutable',
      message: 'cannot be changed; register a new cluster instead',
    });
  }
  if (object.server !== undefined) problems.push(...serverUrlProblems(object.server));
  if (object.labels !== undefined)
    problems.push(...patchMapProblems(object.labels, 'labels', true));
  if (object.annotations !== undefined)
    problems.push(...patchMapProblems(object.annotations, 'annotations', false));
  if (object.project !== undefined) problems.push(...projectProblems(object.project));
  const credentials =
    object.credentials === undefined || object.credentials === null
      ? undefined
      : parseCredentials(object.credentials, 'credentials');
  problems.push(...(credentials?.problems ?? []));
  if (problems.length > 0) throw DomainError.invalid(problems);
  return {
    ...(object.server !== undefined && { server: object.server as string }),
    ...(object.labels !== undefined && { labels: object.labels as Record<string, string | null> }),
    ...(object.annotations !== undefined && {
      annotations: object.annotations as Record<string, string | null>,
    }),
    ...(object.project !== undefined && { project: object.project as string | null }),
    ...(object.credentials !== undefined && { credentials: credentials?.value ?? null }),
  };
}

/** Validates the body of `PUT /clusters/{name}/labels`: the complete new label map. */
export function parseLabelReplacement(body: unknown): Record<string, string> {
  const problems = labelMapProblems(body, 'labels');
  if (problems.length > 0) throw DomainError.invalid(problems);
  return { ...(body as Record<string, string>) };
}

function patchMapProblems(map: unknown, field: string, isLabels: boolean): FieldProblem[] {
  if (!isPlainObject(map))
    return [{ field, rule: 'type', message: 'must be an object; a null value removes a key' }];
  const problems: FieldProblem[] = [];
  for (const [key, value] of Object.entries(map)) {
    const at = fieldPath(field, key);
    const keyRule = isLabels ? 'label-key' : 'annotation-key';
    qualifiedNameProblems(key).forEach((message) =>
      problems.push({ field: at, rule: keyRule, message }),
    );
    if (value === null) continue;
    if (typeof value !== 'string') {
      problems.push({
        field: at,
        rule: 'type',
        message: 'must be a string, or null to remove the key',
      });
    } else if (isLabels) {
      labelValueProblems(value).forEach((message) =>
        problems.push({ field: at, rule: 'label-value', message }),
      );
    }
  }
  return problems;
}

function requireObject(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) {
    throw DomainError.invalid([
      { field: '', rule: 'type', message: 'the request body must be a JSON object' },
    ]);
  }
  return body;
}

function unknownFields(
  object: Record<string, unknown>,
  allowed: string[],
  parent: string,
): FieldProblem[] {
  return Object.keys(object)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({
      field: fieldPath(parent, key),
      rule: 'unknown-field',
      message: `unknown field; expected one of ${allowed.join(', ')}`,
    }));
}
