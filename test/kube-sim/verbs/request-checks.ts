/**
 * Checks every write request goes through before its verb runs: the body is
 * an object of the URL's type, name and namespace agree with the URL, the
 * namespace exists and is not terminating, and the write options
 * (`dryRun`, `fieldManager`, `force`) are valid. Messages are the API
 * server's.
 */
import { Json, JsonMap, isJsonMap } from '../api/json';
import { KubeObject, isBeingDeleted, objectName } from '../api/kube-object';
import { ResourceType, apiVersionOf, groupResource } from '../api/resource-type';
import { StatusError, badRequest, forbidden, invalid, notFound } from '../api/status';
import { ManagerIdentity } from '../ssa/field-ownership';
import { resourceKey } from '../store/object-store';
import { ApiContext, ResourceRequest } from './api-context';

/** The body as an object of the request's type, with apiVersion, kind and namespace filled in. */
export function objectFromBody(
  request: ResourceRequest,
  body: Json | undefined = request.body,
): KubeObject {
  const { type } = request;
  if (!isJsonMap(body)) throw badRequest('the body of the request was not a valid object');
  const apiVersion = apiVersionOf(type);
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (body.kind !== undefined && body.kind !== type.kind) {
    throw badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${type.kind})`,
    );
  }
  const metadata: JsonMap = isJsonMap(body.metadata) ? { ...body.metadata } : {};
  if (type.namespaced) {
    if (
      metadata.namespace !== undefined &&
      metadata.namespace !== '' &&
      metadata.namespace !== request.namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    metadata.namespace = request.namespace ?? '';
  } else {
    delete metadata.namespace;
  }
  return { ...body, apiVersion, kind: type.kind, metadata };
}

/** For writes to a named object: the body's name must be the URL's. */
export function requireMatchingName(object: KubeObject, request: ResourceRequest): void {
  const name = objectName(object);
  if (name === '') {
    object.metadata.name = request.name ?? '';
    return;
  }
  if (name !== request.name) {
    throw badRequest(
      `the name of the object (${name}) does not match the name on the URL (${request.name})`,
    );
  }
}

/**
 * 404 when the namespace of a namespaced create does not exist, 403 when it
 * is being deleted (the NamespaceLifecycle admission plugin).
 */
export function requireWritableNamespace(
  ctx: ApiContext,
  type: ResourceType,
  object: KubeObject,
): void {
  if (!type.namespaced) return;
  const name = String(object.metadata.namespace ?? '');
  const namespace = ctx.store.get(resourceKey('', 'namespaces'), undefined, name);
  if (!namespace) throw notFound({ group: '', resource: 'namespaces' }, name);
  if (isBeingDeleted(namespace)) {
    const error = forbidden(
      groupResource(type),
      objectName(object),
      `unable to create new content in namespace ${name} because it is being terminated`,
    );
    const details = error.details as JsonMap;
    details.causes = [
      {
        reason: 'NamespaceTerminating',
        message: `namespace ${name} is being terminated`,
        field: 'metadata.namespace',
      },
    ];
    throw error;
  }
}

type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

function invalidOptions(
  kind: OptionsKind,
  field: string,
  message: string,
  reason: string,
): StatusError {
  return invalid(`${kind}.meta.k8s.io`, '', 'meta.k8s.io', kind, [{ reason, message, field }]);
}

/** `dryRun=All` (the only accepted value). */
export function isDryRun(query: URLSearchParams, kind: OptionsKind): boolean {
  const values = query.getAll('dryRun');
  if (values.length === 0) return false;
  for (const value of values) {
    if (value !== 'All') {
      throw invalidOptions(
        kind,
        'dryRun',
        `Unsupported value: "${value}": supported values: "All"`,
        'FieldValueNotSupported',
      );
    }
  }
  return true;
}

/**
 * Who is writing: `fieldManager`, else the User-Agent up to its first `/`
 * (`kubectl`, `node-fetch`), else "unknown", as the API server derives it.
 */
export function writerIdentity(
  request: ResourceRequest,
  operation: 'Apply' | 'Update',
  kind: OptionsKind,
  apiVersion: string,
): ManagerIdentity {
  const fieldManager = request.query.get('fieldManager');
  if (fieldManager !== null && (fieldManager.length > 128 || /[^\x20-\x7e]/.test(fieldManager))) {
    throw invalidOptions(
      kind,
      'fieldManager',
      `Invalid value: "${fieldManager}": must be a printable string of at most 128 characters`,
      'FieldValueInvalid',
    );
  }
  if (operation === 'Apply' && !fieldManager) {
    throw invalidOptions(
      kind,
      'fieldManager',
      'Required value: is required for apply patch',
      'FieldValueRequired',
    );
  }
  const manager =
    fieldManager || (request.userAgent ?? '').split('/')[0].slice(0, 128) || 'unknown';
  return {
    manager,
    operation,
    apiVersion,
    subresource: request.subresource,
  };
}

/** `force` is only meaningful for apply patches. */
export function forceFlag(request: ResourceRequest, isApply: boolean): boolean {
  const force = request.query.get('force');
  if (force === null) return false;
  if (!isApply) {
    throw invalidOptions(
      'PatchOptions',
      'force',
      'Forbidden: may not be specified for non-apply patch',
      'FieldValueForbidden',
    );
  }
  return force === 'true' || force === '1';
}
