/**
 * Field numbers of the protobuf messages kube-sim decodes, restated from
 * k8s.io/apimachinery `pkg/apis/meta/v1/generated.proto`,
 * `pkg/runtime/generated.proto` and k8s.io/api `core/v1/generated.proto`.
 * Only what `kubectl create namespace|configmap|secret|serviceaccount` sends.
 */

export interface FieldSpec {
  readonly name: string;
  /** A scalar kind, `time` (metav1.Time), or the name of a message in MESSAGES. */
  readonly type: string;
  readonly repeated?: boolean;
  /** `map<string, type>` (a repeated entry message with key 1, value 2). */
  readonly map?: boolean;
  /** Keep zero values (pointer fields, where an explicit zero means something). */
  readonly keepZero?: boolean;
}

type Message = Readonly<Record<number, FieldSpec>>;

const s = (name: string): FieldSpec => ({ name, type: 'string' });

export const MESSAGES: Readonly<Record<string, Message>> = {
  Unknown: {
    1: { name: 'typeMeta', type: 'TypeMeta' },
    2: { name: 'raw', type: 'bytes' },
    3: s('contentEncoding'),
    4: s('contentType'),
  },
  TypeMeta: { 1: s('apiVersion'), 2: s('kind') },
  Time: { 1: { name: 'seconds', type: 'int' }, 2: { name: 'nanos', type: 'int' } },
  ObjectMeta: {
    1: s('name'),
    2: s('generateName'),
    3: s('namespace'),
    4: s('selfLink'),
    5: s('uid'),
    6: s('resourceVersion'),
    7: { name: 'generation', type: 'int' },
    8: { name: 'creationTimestamp', type: 'time' },
    9: { name: 'deletionTimestamp', type: 'time' },
    10: { name: 'deletionGracePeriodSeconds', type: 'int' },
    11: { name: 'labels', type: 'string', map: true },
    12: { name: 'annotations', type: 'string', map: true },
    13: { name: 'ownerReferences', type: 'OwnerReference', repeated: true },
    14: { name: 'finalizers', type: 'string', repeated: true },
  },
  OwnerReference: {
    1: s('kind'),
    3: s('name'),
    4: s('uid'),
    5: s('apiVersion'),
    6: { name: 'controller', type: 'bool', keepZero: true },
    7: { name: 'blockOwnerDeletion', type: 'bool', keepZero: true },
  },
  ObjectReference: {
    1: s('kind'),
    2: s('namespace'),
    3: s('name'),
    4: s('uid'),
    5: s('apiVersion'),
    6: s('resourceVersion'),
    7: s('fieldPath'),
  },
  LocalObjectReference: { 1: s('name') },
  Namespace: {
    1: { name: 'metadata', type: 'ObjectMeta' },
    2: { name: 'spec', type: 'NamespaceSpec' },
    3: { name: 'status', type: 'NamespaceStatus' },
  },
  NamespaceSpec: { 1: { name: 'finalizers', type: 'string', repeated: true } },
  NamespaceStatus: { 1: s('phase') },
  ConfigMap: {
    1: { name: 'metadata', type: 'ObjectMeta' },
    2: { name: 'data', type: 'string', map: true },
    3: { name: 'binaryData', type: 'bytes', map: true },
    4: { name: 'immutable', type: 'bool', keepZero: true },
  },
  Secret: {
    1: { name: 'metadata', type: 'ObjectMeta' },
    2: { name: 'data', type: 'bytes', map: true },
    3: s('type'),
    4: { name: 'stringData', type: 'string', map: true },
    5: { name: 'immutable', type: 'bool', keepZero: true },
  },
  ServiceAccount: {
    1: { name: 'metadata', type: 'ObjectMeta' },
    2: { name: 'secrets', type: 'ObjectReference', repeated: true },
    3: { name: 'imagePullSecrets', type: 'LocalObjectReference', repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool', keepZero: true },
  },
};

/** The root message of each supported `apiVersion/kind`. */
export const ROOT_MESSAGES: Readonly<Record<string, string>> = {
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
};
