/**
 * Request bodies in Kubernetes' protobuf encoding
 * (`application/vnd.kubernetes.protobuf`), which kubectl's typed clients send
 * for `kubectl create namespace|configmap|secret|serviceaccount`: the `k8s\0`
 * magic, a `runtime.Unknown` envelope (TypeMeta, raw bytes), and the object in
 * the field numbering of k8s.io/api `generated.proto`. Decoded with a schema
 * table (`protobuf-schemas.ts`) into the JSON the same object has; zero
 * values are dropped as JSON's `omitempty` drops them. A kind or field the
 * table does not know is refused with 415, never guessed. Pure functions.
 */
import { Json, JsonMap } from '../api/json';
import { kubeTime } from '../api/kube-object';
import { StatusError } from '../api/status';
import { FieldSpec, MESSAGES, ROOT_MESSAGES } from './protobuf-schemas';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

type WireValue =
  { wire: 0; value: bigint } | { wire: 2; value: Buffer } | { wire: 1 | 5; value: Buffer };

/** Reads the (field number, wire value) pairs of one message. */
function readFields(buffer: Buffer): [number, WireValue][] {
  const out: [number, WireValue][] = [];
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (offset >= buffer.length) throw unsupported('truncated protobuf message');
      const byte = buffer[offset++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < buffer.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push([field, { wire: 0, value: varint() }]);
    else if (wire === 2) {
      const length = Number(varint());
      out.push([field, { wire: 2, value: buffer.subarray(offset, offset + length) }]);
      offset += length;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      out.push([field, { wire, value: buffer.subarray(offset, offset + size) }]);
      offset += size;
    } else {
      throw unsupported(`unsupported protobuf wire type ${wire}`);
    }
  }
  return out;
}

function unsupported(detail: string): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `kube-sim cannot decode this protobuf body (${detail}); send application/json`,
    {},
  );
}

function bytes(value: WireValue, what: string): Buffer {
  if (value.wire !== 2) throw unsupported(`${what} is not length-delimited`);
  return value.value;
}

function scalar(spec: FieldSpec, value: WireValue, at: string): Json {
  switch (spec.type) {
    case 'string':
      return bytes(value, at).toString('utf8');
    case 'bytes':
      return bytes(value, at).toString('base64');
    case 'bool':
      return value.wire === 0 && value.value !== 0n;
    case 'int':
      if (value.wire !== 0) throw unsupported(`${at} is not a varint`);
      return Number(BigInt.asIntN(64, value.value));
    case 'time': {
      const time = decodeMessage(bytes(value, at), 'Time', at);
      const seconds = typeof time.seconds === 'number' ? time.seconds : 0;
      return seconds === 0 ? null : kubeTime(new Date(seconds * 1000));
    }
    default:
      return decodeMessage(bytes(value, at), spec.type, at);
  }
}

function isZero(value: Json): boolean {
  if (value === null || value === '' || value === 0 || value === false) return true;
  return typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** Decodes a message of the named type into its JSON form. */
export function decodeMessage(buffer: Buffer, type: string, at = type): JsonMap {
  const fields = MESSAGES[type];
  if (!fields) throw unsupported(`message ${type} is not known`);
  const out: JsonMap = {};
  for (const [number, value] of readFields(buffer)) {
    const spec = fields[number];
    if (!spec) throw unsupported(`field ${number} of ${type} (at ${at}) is not known`);
    const path = `${at}.${spec.name}`;
    if (spec.map) {
      const entry = readFields(bytes(value, path));
      const key = entry.find(([n]) => n === 1);
      const item = entry.find(([n]) => n === 2);
      const map = (out[spec.name] as JsonMap | undefined) ?? {};
      map[key ? bytes(key[1], path).toString('utf8') : ''] = item
        ? scalar(spec, item[1], path)
        : '';
      out[spec.name] = map;
    } else if (spec.repeated) {
      const list = (out[spec.name] as Json[] | undefined) ?? [];
      list.push(scalar(spec, value, path));
      out[spec.name] = list;
    } else {
      out[spec.name] = scalar(spec, value, path);
    }
  }
  for (const [name, value] of Object.entries(out)) {
    const spec = Object.values(fields).find((f) => f.name === name);
    if (!spec?.keepZero && isZero(value)) delete out[name];
  }
  return out;
}

/** Decodes a whole request body (magic, envelope, object); 415 for what is not supported. */
export function decodeKubeProtobuf(body: Buffer): JsonMap {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw unsupported('missing the k8s protobuf prefix');
  const envelope = decodeMessage(body.subarray(4), 'Unknown');
  const typeMeta = (envelope.typeMeta as JsonMap | undefined) ?? {};
  const apiVersion = String(typeMeta.apiVersion ?? '');
  const kind = String(typeMeta.kind ?? '');
  const root = ROOT_MESSAGES[`${apiVersion}/${kind}`];
  if (!root) throw unsupported(`${kind} of ${apiVersion} is not among the kinds kube-sim decodes`);
  const raw = Buffer.from(String(envelope.raw ?? ''), 'base64');
  return { apiVersion, kind, ...decodeMessage(raw, root, kind) };
}
