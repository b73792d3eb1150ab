/**
 * Out-of-band access to a virtual cluster's objects, as a person with
 * `kubectl edit` or `kubectl delete` would change them: every write goes
 * through the API's verbs (resourceVersion, generation, managedFields under
 * the `kubectl-edit` manager, watch events, controllers), but not through
 * HTTP, so it is neither logged nor subject to faults. Errors are the API's
 * StatusErrors.
 */
import { Json, JsonMap } from '../api/json';
import { KubeObject, splitApiVersion } from '../api/kube-object';
import { ResourceType } from '../api/resource-type';
import { resourceKey } from '../store/object-store';
import { ApiContext, ResourceRequest, Verb } from '../verbs/api-context';
import { createObject } from '../verbs/create';
import { deleteObject } from '../verbs/delete';
import { patchObject } from '../verbs/patch';
import { updateObject } from '../verbs/update';

/** Names one object. `namespace` is required for namespaced kinds. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export const EDIT_MANAGER = 'kubectl-edit';

export class ObjectEditor {
  constructor(private readonly ctx: ApiContext) {}

  /** The stored object, or undefined. */
  get(ref: ObjectRef): KubeObject | undefined {
    const type = this.typeOf(ref.apiVersion, ref.kind);
    return this.ctx.store.get(
      resourceKey(type.group, type.plural),
      type.namespaced ? ref.namespace : undefined,
      ref.name,
    );
  }

  /** The stored objects of a kind (in one namespace when given). */
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    const type = this.typeOf(apiVersion, kind);
    return this.ctx.store.list(
      resourceKey(type.group, type.plural),
      type.namespaced ? namespace : undefined,
    );
  }

  /** Creates the object, or replaces the stored one (unconditionally, like `kubectl replace`). */
  put(object: KubeObject): KubeObject {
    const ref = this.refOf(object);
    const exists = this.get(ref) !== undefined;
    const { resourceVersion: _rv, ...metadata } = object.metadata;
    const body: KubeObject = { ...object, metadata };
    const request = this.request(exists ? 'update' : 'create', ref, body);
    return (
      exists
        ? updateObject(this.ctx, request)
        : createObject(this.ctx, { ...request, name: undefined })
    ).body as KubeObject;
  }

  /** Applies a JSON merge patch (RFC 7386) to the stored object. */
  patch(ref: ObjectRef, mergePatch: JsonMap): KubeObject {
    const request = this.request('patch', ref, mergePatch, 'application/merge-patch+json');
    return patchObject(this.ctx, request).body as KubeObject;
  }

  /** Deletes the object (finalizers and propagation apply as for a DELETE). */
  delete(ref: ObjectRef, propagationPolicy?: 'Orphan' | 'Background' | 'Foreground'): void {
    const body = propagationPolicy ? { propagationPolicy } : undefined;
    deleteObject(this.ctx, this.request('delete', ref, body));
  }

  private typeOf(apiVersion: string, kind: string): ResourceType {
    const { group, version } = splitApiVersion(apiVersion);
    const type = this.ctx.registry.byKind(group, version, kind);
    if (!type) throw new Error(`kube-sim: no resource type serves ${kind} in ${apiVersion}`);
    return type;
  }

  private refOf(object: KubeObject): ObjectRef {
    return {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: String(object.metadata.name ?? ''),
      namespace:
        typeof object.metadata.namespace === 'string' ? object.metadata.namespace : undefined,
    };
  }

  private request(
    verb: Verb,
    ref: ObjectRef,
    body: Json | undefined,
    contentType = 'application/json',
  ): ResourceRequest {
    const type = this.typeOf(ref.apiVersion, ref.kind);
    return {
      verb,
      type,
      namespace: type.namespaced ? ref.namespace : undefined,
      name: ref.name,
      query: new URLSearchParams({ fieldManager: EDIT_MANAGER }),
      body,
      contentType,
      userAgent: `${EDIT_MANAGER}/v1.32.0`,
    };
  }
}
