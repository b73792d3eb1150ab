/**
 * The validation the API server applies before storing an object, reduced to
 * the rules clients trip over in practice: names, labels and annotations,
 * required fields of workloads, services, jobs, ingresses and CRDs, the
 * selector/template match of workloads, and immutable fields on update.
 * Causes are worded as `k8s.io/apimachinery/pkg/util/validation/field` words
 * them. Pure functions.
 */
import {
  MAX_ANNOTATIONS_BYTES,
  labelValueProblems,
  matches,
  qualifiedNameProblems,
  selectorFromLabelSelector,
} from '../../../src/labels';
import { Json, JsonMap, childMap, isJsonMap, jsonEqual, stringMap } from '../api/json';
import { KubeObject } from '../api/kube-object';
import { ResourceType } from '../api/resource-type';
import { StatusCause } from '../api/status';
import { expectedCrdName } from '../api/crd-resources';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** Go's `%q`-style rendering of a value inside an `Invalid value:` message. */
function show(value: Json | undefined): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (isJsonMap(value) && Object.values(value).every((v) => typeof v === 'string')) {
    return `map[string]string${JSON.stringify(value)}`;
  }
  return JSON.stringify(value ?? null);
}

export function required(field: string, detail = ''): StatusCause {
  return {
    reason: 'FieldValueRequired',
    message: `Required value${detail ? `: ${detail}` : ''}`,
    field,
  };
}

export function invalidValue(field: string, value: Json | undefined, detail: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${show(value)}: ${detail}`,
    field,
  };
}

function unsupported(field: string, value: Json | undefined, supported: string[]): StatusCause {
  return {
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${show(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
    field,
  };
}

function forbiddenField(field: string, detail: string): StatusCause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field };
}

function nameCauses(object: KubeObject, type: ResourceType): StatusCause[] {
  const name = object.metadata.name;
  if (typeof name !== 'string' || name === '') {
    return [required('metadata.name', 'name or generateName is required')];
  }
  if (type.group === 'rbac.authorization.k8s.io') {
    if (name === '.' || name === '..' || /[/%]/.test(name)) {
      return [invalidValue('metadata.name', name, "may not contain '/' or '%'")];
    }
    return [];
  }
  if (type.kind === 'Namespace' && !DNS1123_LABEL.test(name)) {
    return [invalidValue('metadata.name', name, LABEL_MESSAGE)];
  }
  if (type.kind === 'Service' && !type.custom && !DNS1035_LABEL.test(name)) {
    return [invalidValue('metadata.name', name, DNS1035_MESSAGE)];
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [invalidValue('metadata.name', name, SUBDOMAIN_MESSAGE)];
  }
  return [];
}

function metadataCauses(object: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const labels = object.metadata.labels;
  if (labels !== undefined && labels !== null) {
    const map = stringMap(labels);
    if (!map) causes.push(invalidValue('metadata.labels', labels, 'must be a map of strings'));
    for (const [key, value] of Object.entries(map ?? {})) {
      for (const p of qualifiedNameProblems(key))
        causes.push(invalidValue('metadata.labels', key, p));
      for (const p of labelValueProblems(value))
        causes.push(invalidValue('metadata.labels', value, p));
    }
  }
  const annotations = object.metadata.annotations;
  if (annotations !== undefined && annotations !== null) {
    const map = stringMap(annotations);
    if (!map)
      causes.push(invalidValue('metadata.annotations', annotations, 'must be a map of strings'));
    let size = 0;
    for (const [key, value] of Object.entries(map ?? {})) {
      size += key.length + value.length;
      for (const p of qualifiedNameProblems(key))
        causes.push(invalidValue('metadata.annotations', key, p));
    }
    if (size > MAX_ANNOTATIONS_BYTES) {
      causes.push({
        reason: 'FieldValueTooLong',
        message: `Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes`,
        field: 'metadata.annotations',
      });
    }
  }
  return causes;
}

function containerCauses(podSpec: JsonMap | undefined, at: string): StatusCause[] {
  const containers = podSpec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) return [required(`${at}.containers`)];
  const causes: StatusCause[] = [];
  containers.forEach((c, i) => {
    const field = `${at}.containers[${i}]`;
    if (!isJsonMap(c) || typeof c.name !== 'string' || !c.name)
      causes.push(required(`${field}.name`));
    else if (!DNS1123_LABEL.test(c.name))
      causes.push(invalidValue(`${field}.name`, c.name, LABEL_MESSAGE));
    if (!isJsonMap(c) || typeof c.image !== 'string' || !c.image)
      causes.push(required(`${field}.image`));
  });
  return causes;
}

function workloadCauses(object: KubeObject): StatusCause[] {
  const spec = childMap(object, 'spec');
  const causes: StatusCause[] = [];
  const selector = spec?.selector;
  const template = childMap(spec, 'template');
  if (!isJsonMap(selector) || Object.keys(selector).length === 0) {
    causes.push(required('spec.selector'));
  } else {
    const parsed = selectorFromLabelSelector(selector, 'spec.selector');
    causes.push(...parsed.problems.map((p) => invalidValue(p.field, selector, p.message)));
    const labels = stringMap(childMap(template, 'metadata')?.labels) ?? {};
    if (parsed.problems.length === 0 && !matches(parsed.selector, labels)) {
      causes.push(
        invalidValue(
          'spec.template.metadata.labels',
          labels,
          '`selector` does not match template `labels`',
        ),
      );
    }
  }
  const replicas = spec?.replicas;
  if (typeof replicas === 'number' && replicas < 0) {
    causes.push(invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0'));
  }
  causes.push(...containerCauses(childMap(template, 'spec'), 'spec.template.spec'));
  return causes;
}

function jobCauses(spec: JsonMap | undefined, at: string): StatusCause[] {
  const podSpec = childMap(childMap(spec, 'template'), 'spec');
  const causes = containerCauses(podSpec, `${at}.template.spec`);
  const policy = podSpec?.restartPolicy;
  if (policy !== 'OnFailure' && policy !== 'Never') {
    causes.push(unsupported(`${at}.template.spec.restartPolicy`, policy, ['OnFailure', 'Never']));
  }
  return causes;
}

function serviceCauses(object: KubeObject): StatusCause[] {
  const spec = childMap(object, 'spec') ?? {};
  const headless = spec.clusterIP === 'None';
  if (spec.type === 'ExternalName') {
    return typeof spec.externalName === 'string' ? [] : [required('spec.externalName')];
  }
  const ports = spec.ports;
  if (!Array.isArray(ports) || ports.length === 0) return headless ? [] : [required('spec.ports')];
  const causes: StatusCause[] = [];
  ports.forEach((p, i) => {
    const port = isJsonMap(p) ? p.port : undefined;
    if (typeof port !== 'number' || port < 1 || port > 65535) {
      causes.push(
        invalidValue(
          `spec.ports[${i}].port`,
          port ?? null,
          'must be between 1 and 65535, inclusive',
        ),
      );
    }
    if (ports.length > 1 && !(isJsonMap(p) && typeof p.name === 'string' && p.name)) {
      causes.push(required(`spec.ports[${i}].name`));
    }
  });
  return causes;
}

function dataKeyCauses(object: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const field of ['data', 'binaryData']) {
    const data = object[field];
    if (!isJsonMap(data)) continue;
    for (const key of Object.keys(data)) {
      if (!CONFIG_KEY.test(key)) {
        causes.push(
          invalidValue(
            `${field}`,
            key,
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
          ),
        );
      }
    }
  }
  return causes;
}

function ingressCauses(object: KubeObject): StatusCause[] {
  const rules = childMap(object, 'spec')?.rules;
  const causes: StatusCause[] = [];
  if (!Array.isArray(rules)) return causes;
  rules.forEach((rule, r) => {
    const paths = isJsonMap(rule) ? childMap(rule, 'http')?.paths : undefined;
    if (!Array.isArray(paths)) return;
    paths.forEach((path, p) => {
      if (!isJsonMap(path) || typeof path.pathType !== 'string') {
        causes.push(
          required(`spec.rules[${r}].http.paths[${p}].pathType`, 'pathType must be specified'),
        );
      }
    });
  });
  return causes;
}

function crdCauses(crd: KubeObject): StatusCause[] {
  const spec = childMap(crd, 'spec') ?? {};
  const causes: StatusCause[] = [];
  if (typeof spec.group !== 'string' || !spec.group) causes.push(required('spec.group'));
  const names = childMap(spec, 'names') ?? {};
  if (typeof names.plural !== 'string' || !names.plural) causes.push(required('spec.names.plural'));
  if (typeof names.kind !== 'string' || !names.kind) causes.push(required('spec.names.kind'));
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    causes.push(unsupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  }
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0)
    causes.push(
      required('spec.versions', 'must have exactly one version marked as storage version'),
    );
  else if (versions.filter((v) => isJsonMap(v) && v.storage === true).length !== 1) {
    causes.push(
      invalidValue(
        'spec.versions',
        null,
        'must have exactly one version marked as storage version',
      ),
    );
  }
  if (causes.length === 0 && crd.metadata.name !== expectedCrdName(crd)) {
    causes.push(
      invalidValue('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'),
    );
  }
  return causes;
}

const KIND_RULES: Record<string, (object: KubeObject) => StatusCause[]> = {
  Deployment: workloadCauses,
  ReplicaSet: workloadCauses,
  StatefulSet: workloadCauses,
  DaemonSet: workloadCauses,
  Pod: (pod) => containerCauses(childMap(pod, 'spec'), 'spec'),
  Job: (job) => jobCauses(childMap(job, 'spec'), 'spec'),
  CronJob: (cj) => {
    const spec = childMap(cj, 'spec');
    const causes = typeof spec?.schedule === 'string' ? [] : [required('spec.schedule')];
    return [
      ...causes,
      ...jobCauses(childMap(childMap(spec, 'jobTemplate'), 'spec'), 'spec.jobTemplate.spec'),
    ];
  },
  Service: serviceCauses,
  ConfigMap: dataKeyCauses,
  Secret: dataKeyCauses,
  Ingress: ingressCauses,
  RoleBinding: (rb) => (isJsonMap(rb.roleRef) ? [] : [required('roleRef')]),
  ClusterRoleBinding: (rb) => (isJsonMap(rb.roleRef) ? [] : [required('roleRef')]),
  CustomResourceDefinition: crdCauses,
};

/** Everything wrong with `object` as a new or updated object of `type`. */
export function validateObject(object: KubeObject, type: ResourceType): StatusCause[] {
  const rules = type.custom ? undefined : KIND_RULES[type.kind];
  return [...nameCauses(object, type), ...metadataCauses(object), ...(rules ? rules(object) : [])];
}

/** The fields an update may not change (`ValidateUpdate` of the registry strategies). */
export function validateUpdate(
  next: KubeObject,
  previous: KubeObject,
  type: ResourceType,
): StatusCause[] {
  if (type.custom) return [];
  const causes: StatusCause[] = [];
  const immutable = (path: string[]) => {
    const before = path.reduce<Json | undefined>(
      (v, k) => (isJsonMap(v) ? v[k] : undefined),
      previous,
    );
    const after = path.reduce<Json | undefined>((v, k) => (isJsonMap(v) ? v[k] : undefined), next);
    if (!jsonEqual(before, after))
      causes.push(invalidValue(path.join('.'), after ?? null, 'field is immutable'));
  };
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'].includes(type.kind)) {
    immutable(['spec', 'selector']);
  }
  if (type.kind === 'Service') immutable(['spec', 'clusterIP']);
  if ((type.kind === 'ConfigMap' || type.kind === 'Secret') && previous.immutable === true) {
    for (const field of ['data', 'binaryData']) {
      if (!jsonEqual(previous[field], next[field])) {
        causes.push(forbiddenField(field, 'field is immutable when `immutable` is set'));
      }
    }
  }
  return causes;
}
