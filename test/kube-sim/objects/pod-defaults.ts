/**
 * The defaults the API server fills into a pod spec (k8s.io/kubernetes
 * `pkg/apis/core/v1/defaults.go`), so objects read back carry the fields a
 * real cluster shows and a re-apply of the same manifest is a no-op. Mutates
 * the spec it is given; callers pass a copy.
 */
import { Json, JsonMap, isJsonMap, setDefault } from '../api/json';

const CONTAINER_LISTS = ['containers', 'initContainers'];

/** Fills a PodSpec (`spec` of a Pod, or `spec.template.spec` of a workload). */
export function defaultPodSpec(spec: JsonMap, options: { pod: boolean }): void {
  setDefault(spec, ['restartPolicy'], 'Always');
  setDefault(spec, ['terminationGracePeriodSeconds'], 30);
  setDefault(spec, ['dnsPolicy'], 'ClusterFirst');
  setDefault(spec, ['securityContext'], {});
  setDefault(spec, ['schedulerName'], 'default-scheduler');
  if (options.pod) {
    setDefault(spec, ['enableServiceLinks'], true);
    setDefault(spec, ['preemptionPolicy'], 'PreemptLowerPriority');
    setDefault(spec, ['priority'], 0);
    if (typeof spec.serviceAccountName !== 'string') spec.serviceAccountName = 'default';
    setDefault(spec, ['serviceAccount'], spec.serviceAccountName as string);
    setDefault(
      spec,
      ['tolerations'],
      [toleration('node.kubernetes.io/not-ready'), toleration('node.kubernetes.io/unreachable')],
    );
  }
  for (const listName of CONTAINER_LISTS) {
    const containers = spec[listName];
    if (Array.isArray(containers))
      for (const c of containers) if (isJsonMap(c)) defaultContainer(c);
  }
  const volumes = spec.volumes;
  if (Array.isArray(volumes)) for (const v of volumes) if (isJsonMap(v)) defaultVolume(v);
}

function toleration(key: string): JsonMap {
  return { key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
}

function defaultContainer(container: JsonMap): void {
  setDefault(container, ['terminationMessagePath'], '/dev/termination-log');
  setDefault(container, ['terminationMessagePolicy'], 'File');
  setDefault(container, ['imagePullPolicy'], pullPolicyFor(container.image));
  setDefault(container, ['resources'], {});
  const ports = container.ports;
  if (Array.isArray(ports))
    for (const p of ports) if (isJsonMap(p)) setDefault(p, ['protocol'], 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const value = container[probe];
    if (isJsonMap(value)) defaultProbe(value);
  }
  const env = container.env;
  if (Array.isArray(env)) {
    for (const e of env) {
      const fieldRef = isJsonMap(e) && isJsonMap(e.valueFrom) ? e.valueFrom.fieldRef : undefined;
      if (isJsonMap(fieldRef)) setDefault(fieldRef, ['apiVersion'], 'v1');
    }
  }
}

/** `Always` for `:latest` or an untagged image, `IfNotPresent` otherwise. */
function pullPolicyFor(image: Json | undefined): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const withoutDigest = image.split('@')[0];
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : '';
  if (image.includes('@')) return 'IfNotPresent';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: JsonMap): void {
  setDefault(probe, ['timeoutSeconds'], 1);
  setDefault(probe, ['periodSeconds'], 10);
  setDefault(probe, ['successThreshold'], 1);
  setDefault(probe, ['failureThreshold'], 3);
  if (isJsonMap(probe.httpGet)) setDefault(probe.httpGet, ['scheme'], 'HTTP');
}

function defaultVolume(volume: JsonMap): void {
  for (const source of ['configMap', 'secret']) {
    const value = volume[source];
    if (isJsonMap(value)) setDefault(value, ['defaultMode'], 420);
  }
  // A volume that names no source is an emptyDir (SetDefaults_Volume).
  if (Object.keys(volume).length === 1 && 'name' in volume) volume.emptyDir = {};
}

/** Fills a PodTemplateSpec's pod spec, when present. */
export function defaultPodTemplate(template: Json | undefined): void {
  if (!isJsonMap(template)) return;
  if (isJsonMap(template.spec)) defaultPodSpec(template.spec, { pod: false });
}
