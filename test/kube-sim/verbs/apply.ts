/**
 * Server-side apply (`PATCH` with `application/apply-patch+yaml`): the
 * configuration is checked against the URL, merged into the live object (or
 * creates it) with field ownership tracked per manager, conflicts answered
 * with the API server's 409, and the result written by the shared pipeline.
 * Status is not applied through the main resource (it is a reset field).
 */
import { Json, JsonMap, isJsonMap } from '../api/json';
import { KubeObject, managedFieldsOf } from '../api/kube-object';
import { apiVersionOf } from '../api/resource-type';
import { badRequest, untypedServerError } from '../api/status';
import { pruneUnknownFields } from '../schema/structural-schema';
import { applyConfiguration } from '../ssa/field-ownership';
import { TypedProblem } from '../ssa/list-elements';
import { applyConflictError, decodeManagedFields } from '../ssa/managed-fields';
import { resourceKey } from '../store/object-store';
import { ApiContext, Reply, ResourceRequest } from './api-context';
import { requireWritableNamespace, writerIdentity } from './request-checks';
import { checkPreconditions } from './update';
import { persist, withoutManagedFields } from './write-pipeline';

export function applyObject(
  ctx: ApiContext,
  request: ResourceRequest,
  force: boolean,
  dryRun: boolean,
): Reply {
  const { type } = request;
  const apiVersion = apiVersionOf(type);
  const manager = writerIdentity(request, 'Apply', 'PatchOptions', apiVersion);
  const config = configFromBody(request, apiVersion);
  const live = ctx.store.get(
    resourceKey(type.group, type.plural),
    request.namespace,
    request.name ?? '',
  );
  if (live) checkPreconditions(type, config, live);
  else requireWritableNamespace(ctx, type, config);

  if (type.custom && type.openAPIV3Schema) {
    // The configuration becomes a typed value of the CRD's schema first: a
    // field the schema does not declare fails that conversion.
    const undeclared: string[] = [];
    pruneUnknownFields(config, type.openAPIV3Schema, undeclared);
    if (undeclared.length) {
      throw typedObjectError(
        request,
        apiVersion,
        undeclared.map((path) => ({ path: `.${path}`, message: 'field not declared in schema' })),
      );
    }
  }
  const outcome = applyConfiguration({
    live: live ? withoutManagedFields(live) : undefined,
    config: appliedPart(config, request.subresource === 'status', type.statusSubresource),
    type: type.types,
    managed: decodeManagedFields(managedFieldsOf(live)).managed,
    manager,
    apiVersion,
    force,
  });
  if (outcome.kind === 'conflicts') throw applyConflictError(outcome.conflicts);
  if (outcome.kind === 'invalid') throw typedObjectError(request, apiVersion, outcome.problems);

  const result = persist(ctx, {
    type,
    live,
    candidate: withoutNulls(outcome.object) as KubeObject,
    manager,
    ownership: outcome.managed,
    dryRun,
    subresource: request.subresource === 'status' ? 'status' : undefined,
  });
  return { status: result.created ? 201 : 200, body: result.object };
}

/** The applied configuration, after the checks the field manager makes on it. */
function configFromBody(request: ResourceRequest, apiVersion: string): KubeObject {
  const body = request.body;
  if (!isJsonMap(body))
    throw badRequest('error decoding YAML: the apply configuration must be an object');
  if (body.apiVersion !== apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${String(body.apiVersion ?? '')}, expected: ${apiVersion}`,
    );
  }
  if (body.kind !== request.type.kind) {
    throw badRequest(
      `Incorrect kind specified in apply patch. Specified patch kind: ${String(body.kind ?? '')}, expected: ${request.type.kind}`,
    );
  }
  const metadata: JsonMap = isJsonMap(body.metadata) ? { ...body.metadata } : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  if (name && name !== request.name) {
    throw badRequest(
      `the name of the object (${name}) does not match the name on the URL (${request.name})`,
    );
  }
  metadata.name = request.name ?? '';
  if (request.type.namespaced) {
    if (metadata.namespace !== undefined && metadata.namespace !== request.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    metadata.namespace = request.namespace ?? '';
  } else {
    delete metadata.namespace;
  }
  return { ...body, apiVersion, kind: request.type.kind, metadata };
}

/**
 * What the applier may set: not the system metadata, and not the status
 * through the main resource when the type has a status subresource (and only
 * the status through `/status`).
 */
function appliedPart(config: KubeObject, statusWrite: boolean, hasStatus: boolean): JsonMap {
  const {
    uid: _u,
    resourceVersion: _rv,
    managedFields: _mf,
    creationTimestamp: _ct,
    generation: _g,
    ...metadata
  } = config.metadata;
  if (statusWrite) {
    const out: JsonMap = {
      apiVersion: config.apiVersion,
      kind: config.kind,
      metadata: { name: metadata.name },
    };
    if (metadata.namespace !== undefined) (out.metadata as JsonMap).namespace = metadata.namespace;
    if (config.status !== undefined) out.status = config.status;
    return out;
  }
  const { status: _s, ...rest } = config;
  return { ...(hasStatus ? rest : config), metadata };
}

/**
 * An explicit null in an applied configuration means "owned, and absent".
 * Copy on write: what holds no null is returned as it is (it may be shared
 * with the live object).
 */
function withoutNulls(value: Json): Json | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    let out: Json[] | undefined;
    value.forEach((item, i) => {
      const cleaned = withoutNulls(item) ?? null;
      if (cleaned !== item) (out ??= [...value])[i] = cleaned;
    });
    return out ?? value;
  }
  if (!isJsonMap(value)) return value;
  let out: JsonMap | undefined;
  for (const [key, child] of Object.entries(value)) {
    const cleaned = withoutNulls(child);
    if (cleaned === child) continue;
    out ??= { ...value };
    if (cleaned === undefined) delete out[key];
    else out[key] = cleaned;
  }
  return out ?? value;
}

/** The untyped 500 the field manager answers when the configuration does not fit the schema. */
function typedObjectError(
  request: ResourceRequest,
  apiVersion: string,
  problems: readonly TypedProblem[],
) {
  const gvk = `${apiVersion.includes('/') ? apiVersion : `/${apiVersion}`}, Kind=${request.type.kind}`;
  const subject = `${request.namespace ?? ''}/${request.name ?? ''}; ${gvk}`;
  const lines = problems.map((p) => `${p.path}: ${p.message}`);
  const detail = lines.length === 1 ? lines[0] : `errors:\n  ${lines.join('\n  ')}`;
  return untypedServerError(`failed to create typed patch object (${subject}): ${detail}`);
}
