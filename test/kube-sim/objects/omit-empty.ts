/**
 * Empty maps and lists the API server never stores. Built-in objects pass
 * through Go structs whose map and slice fields are tagged `omitempty`, so
 * `annotations: {}` or `env: []` in a request disappears; custom resources
 * keep their bodies as sent, but their metadata is still decoded into
 * ObjectMeta. Without this, `kubectl diff` (which sends `annotations: {}` in
 * its dry-run patch) would report a difference where a real cluster reports
 * none. Pure function.
 */
import { Json, JsonMap, isJsonMap } from '../api/json';
import { KubeObject } from '../api/kube-object';
import { ResourceType } from '../api/resource-type';

/** ObjectMeta's map and list fields, all `omitempty`. */
const METADATA_FIELDS = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

/**
 * Map and list fields of the built-in kinds that are `omitempty` wherever they
 * appear (k8s.io/api 1.32). Lists without the tag (`containers`, `rules` of a
 * Role, `verbs`) are absent on purpose: the server keeps them (as `null`).
 */
const OMIT_EMPTY = new Set([
  ...METADATA_FIELDS,
  'data',
  'binaryData',
  'stringData',
  'nodeSelector',
  'matchLabels',
  'matchExpressions',
  'selector',
  'args',
  'command',
  'env',
  'envFrom',
  'ports',
  'volumeMounts',
  'volumeDevices',
  'volumes',
  'initContainers',
  'ephemeralContainers',
  'imagePullSecrets',
  'tolerations',
  'hostAliases',
  'topologySpreadConstraints',
  'readinessGates',
  'volumeClaimTemplates',
  'accessModes',
  'limits',
  'requests',
  'tls',
  'hosts',
  'secrets',
  'subjects',
  'conditions',
]);

function isEmpty(value: Json | undefined): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return isJsonMap(value) && Object.keys(value).length === 0;
}

/**
 * `value` without empty members named in `omit` (recursively when `deep`).
 * Copy on write: unchanged subtrees are returned as they are, since they may
 * be shared with the stored object.
 */
function pruned(value: Json, omit: ReadonlySet<string>, deep: boolean): Json {
  if (Array.isArray(value)) {
    if (!deep) return value;
    let out: Json[] | undefined;
    value.forEach((item, i) => {
      const next = pruned(item, omit, deep);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (!isJsonMap(value)) return value;
  let out: JsonMap | undefined;
  for (const key of Object.keys(value)) {
    const child = value[key];
    const next = deep ? pruned(child, omit, deep) : child;
    if (omit.has(key) && isEmpty(next)) {
      out ??= { ...value };
      delete out[key];
    } else if (next !== child) {
      (out ??= { ...value })[key] = next;
    }
  }
  return out ?? value;
}

const METADATA_SET = new Set(METADATA_FIELDS);

/**
 * The object as the server would store it: without empty metadata maps and
 * lists, and (built-in kinds) without empty `omitempty` fields anywhere.
 */
export function omitEmpty(object: KubeObject, type: ResourceType): KubeObject {
  const metadata = pruned(object.metadata, METADATA_SET, false) as JsonMap;
  if (type.custom) return metadata === object.metadata ? object : { ...object, metadata };
  const { metadata: _m, ...rest } = object;
  const body = pruned(rest, OMIT_EMPTY, true) as JsonMap;
  if (body === rest && metadata === object.metadata) return object;
  const out: JsonMap = {};
  for (const key of Object.keys(object)) {
    if (key === 'metadata') out.metadata = metadata;
    else if (key in body) out[key] = body[key];
  }
  return out as KubeObject;
}
