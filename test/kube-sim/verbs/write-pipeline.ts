/**
 * The path every write takes after its verb produced a candidate object:
 * system metadata, empty fields dropped (Go's `omitempty`), defaulting, the registry strategy, validation, generation,
 * field ownership (`managedFields`), the no-op check (an unchanged object is
 * not written and keeps its resourceVersion), finalization of an object whose
 * last finalizer went away, and the commit (skipped for `dryRun=All`).
 */
import { JsonMap, jsonEqual } from '../api/json';
import {
  KubeObject,
  isBeingDeleted,
  kubeTime,
  managedFieldsOf,
  objectFinalizers,
  objectName,
} from '../api/kube-object';
import { ResourceType, qualifiedKind } from '../api/resource-type';
import { StatusCause, badRequest, invalid } from '../api/status';
import {
  applySchemaDefaults,
  pruneUnknownFields,
  validateAgainstSchema,
} from '../schema/structural-schema';
import { applyDefaults } from '../objects/defaults';
import { omitEmpty } from '../objects/omit-empty';
import { validateObject, validateUpdate } from '../objects/validation';
import { nextGeneration, prepareForCreate, prepareForUpdate } from '../objects/write-strategy';
import {
  ManagedFields,
  ManagerIdentity,
  managerKey,
  recordUpdate,
  sameOwnership,
} from '../ssa/field-ownership';
import { decodeManagedFields, encodeManagedFields } from '../ssa/managed-fields';
import { resourceKey } from '../store/object-store';
import { ApiContext } from './api-context';

/** A write ready to be persisted. */
export interface PendingWrite {
  readonly type: ResourceType;
  /** The stored object; undefined for a create. */
  readonly live: KubeObject | undefined;
  /** The object the verb produced (body, patched or merged object). */
  readonly candidate: KubeObject;
  readonly manager: ManagerIdentity;
  /** Ownership computed by server-side apply; undefined to record the write as an update. */
  readonly ownership?: ManagedFields;
  readonly dryRun: boolean;
  /** `/status` writes skip the main-resource strategy (which would keep the old status). */
  readonly subresource?: 'status';
  /** The request's `fieldValidation`: `Strict` refuses unknown fields of custom resources. */
  readonly fieldValidation?: string | null;
}

/** The outcome: the object as stored (or as it would be, for a dry run). */
export interface WriteResult {
  readonly object: KubeObject;
  readonly created: boolean;
  /** False when nothing changed, so nothing was written. */
  readonly changed: boolean;
}

/** Runs the shared steps and commits the write. Throws StatusError (422) when invalid. */
export function persist(ctx: ApiContext, write: PendingWrite): WriteResult {
  const { type, live } = write;
  const candidate = omitEmpty(structural(withSystemMetadata(ctx, write), write), type);
  // A status write carries the stored spec and metadata (the status strategy
  // keeps them), defaulted and validated when they were written: only the
  // status is new, and no rule of the simulated kinds checks it.
  const statusWrite = live !== undefined && write.subresource === 'status';
  if (!statusWrite) applyDefaults(candidate, type);
  if (!live) prepareForCreate(candidate, type, ctx.allocator);
  else if (!statusWrite) prepareForUpdate(candidate, live, type, ctx.allocator);

  if (type.custom && type.openAPIV3Schema) {
    const causes = validateAgainstSchema(candidate, type.openAPIV3Schema);
    if (causes.length) throw invalidObject(type, candidate, causes);
  }
  if (!statusWrite) {
    const causes = validateObject(candidate, type);
    if (live)
      causes.push(...validateUpdate(candidate, live, type), ...finalizerCauses(candidate, live));
    if (causes.length) throw invalidObject(type, candidate, causes);
  }

  if (live) {
    const generation = nextGeneration(candidate, live, type);
    if (generation !== undefined) candidate.metadata.generation = generation;
  }

  const liveFields = live ? withoutManagedFields(live) : undefined;
  const candidateFields = withoutManagedFields(candidate);
  const before = decodeManagedFields(managedFieldsOf(live));
  const ownership =
    write.ownership ??
    recordUpdate({
      live: liveFields,
      next: candidateFields,
      type: type.types,
      managed: before.managed,
      manager: write.manager,
      apiVersion: candidate.apiVersion,
    });

  const objectChanged = !liveFields || !jsonEqual(candidateFields, liveFields);
  if (live && !objectChanged && sameOwnership(ownership, before.managed)) {
    return { object: live, created: false, changed: false };
  }
  const times = new Map(before.times);
  const actor = managerKey(write.manager);
  const actorSetChanged = !sameSet(ownership, before.managed, actor);
  if (ownership.has(actor) && (objectChanged || actorSetChanged))
    times.set(actor, kubeTime(ctx.now()));
  candidate.metadata.managedFields = encodeManagedFields(ownership, times);

  if (write.dryRun) return { object: candidate, created: !live, changed: true };
  const resource = resourceKey(type.group, type.plural);
  if (live && isBeingDeleted(live) && objectFinalizers(candidate).length === 0) {
    // The last finalizer is gone: the deletion completes with this write.
    const gone = ctx.store.remove(resource, candidate) ?? candidate;
    const metadata = { ...candidate.metadata, resourceVersion: gone.metadata.resourceVersion };
    return { object: { ...candidate, metadata }, created: false, changed: true };
  }
  return { object: ctx.store.put(resource, candidate), created: !live, changed: true };
}

/**
 * A custom resource as its structural schema leaves it: unknown fields pruned
 * (refused with `fieldValidation=Strict`, as the decoder refuses them), then
 * defaulted.
 */
function structural(object: KubeObject, write: PendingWrite): KubeObject {
  const schema = write.type.openAPIV3Schema;
  if (!write.type.custom || !schema) return object;
  const unknown: string[] = [];
  const pruned = pruneUnknownFields(object, schema, unknown) as KubeObject;
  if (unknown.length && write.fieldValidation === 'Strict') {
    const { kind, version } = write.type;
    throw badRequest(
      `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((p) => `unknown field "${p}"`).join(', ')}`,
    );
  }
  return applySchemaDefaults(pruned, schema) as KubeObject;
}

function sameSet(a: ManagedFields, b: ManagedFields, key: string): boolean {
  const x = a.get(key);
  const y = b.get(key);
  if (!x || !y || x === y) return x === y;
  return x.apiVersion === y.apiVersion && x.set.equals(y.set);
}

/** The object without `managedFields` and `resourceVersion`, for comparisons. */
export function withoutManagedFields(object: KubeObject): KubeObject {
  const { managedFields: _m, resourceVersion: _rv, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/**
 * Metadata only the server sets: uid, creation time, deletion state and
 * generation come from the live object (or are new, on create); a client
 * cannot set them.
 */
function withSystemMetadata(ctx: ApiContext, write: PendingWrite): KubeObject {
  const { live, candidate } = write;
  const metadata: JsonMap = { ...candidate.metadata };
  for (const key of [
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'generation',
    'selfLink',
  ]) {
    delete metadata[key];
  }
  delete metadata.managedFields;
  delete metadata.resourceVersion;
  if (live) {
    for (const key of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
    ]) {
      if (live.metadata[key] !== undefined) metadata[key] = live.metadata[key];
    }
    if (live.metadata.resourceVersion !== undefined)
      metadata.resourceVersion = live.metadata.resourceVersion;
  } else {
    metadata.uid = ctx.newUid();
    metadata.creationTimestamp = kubeTime(ctx.now());
  }
  return { ...candidate, metadata };
}

function finalizerCauses(next: KubeObject, live: KubeObject): StatusCause[] {
  if (!isBeingDeleted(live)) return [];
  const before = new Set(objectFinalizers(live));
  const added = objectFinalizers(next).filter((f) => !before.has(f));
  if (!added.length) return [];
  return [
    {
      reason: 'FieldValueForbidden',
      message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
      field: 'metadata.finalizers',
    },
  ];
}

/** The 422 for an object that fails validation. */
export function invalidObject(type: ResourceType, object: KubeObject, causes: StatusCause[]) {
  return invalid(qualifiedKind(type), objectName(object), type.group, type.kind, causes);
}
