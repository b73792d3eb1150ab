/**
 * Pod health, after gitops-engine pkg/health/health_pod.go. The restart
 * policy decides what "done" means: an `Always` Pod is healthy while Ready,
 * a `Never`/`OnFailure` Pod (typically a hook) only once it Succeeded, and
 * stays Progressing while it runs, so a hook is not failed early.
 */
import { IGNORE_RESTART_POLICY_ANNOTATION } from '../manifests/annotations';
import { JsonObject, KubeObject, annotationOf } from '../manifests/kube-object';
import { HealthStatus, health } from './health-status';
import { findCondition, readInt, readObject, readObjects, readString } from './object-fields';

// A waiting reason that means the container cannot start: ErrImagePull,
// CreateContainerConfigError, CrashLoopBackOff, ImagePullBackOff, ...
const FAILING_WAIT_REASON = (reason: string) =>
  reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');

/**
 * - `Always` (the API server's default, assumed when absent): any container
 *   waiting for a failing reason → Degraded, with the waiting messages.
 * - Phase Pending → Progressing; Succeeded → Healthy; Failed → Degraded with
 *   the Pod message, else the first terminated container's message, OOMKilled
 *   or non-zero exit code.
 * - Phase Running: `Always` (or the `ignore-restart-policy` annotation) →
 *   Healthy when Ready, Degraded when a container has terminated before
 *   (`lastState.terminated`), else Progressing; `Never`/`OnFailure` →
 *   Progressing.
 * - Any other phase → Unknown.
 */
export function podHealth(obj: KubeObject): HealthStatus {
  const restartPolicy = readString(obj, ['spec', 'restartPolicy']) || 'Always';
  const message = readString(obj, ['status', 'message']) ?? '';
  const containers = readObjects(obj, ['status', 'containerStatuses']);
  if (restartPolicy === 'Always') {
    const waiting = containers
      .map((container) => readObject(container, ['state', 'waiting']))
      .filter((state): state is JsonObject => state !== undefined)
      .filter((state) => FAILING_WAIT_REASON(readString(state, ['reason']) ?? ''));
    if (waiting.length > 0) {
      return health(
        'Degraded',
        waiting.map((state) => readString(state, ['message']) ?? '').join(', '),
      );
    }
  }
  switch (readString(obj, ['status', 'phase'])) {
    case 'Pending':
      return health('Progressing', message);
    case 'Succeeded':
      return health('Healthy', message);
    case 'Failed':
      return health('Degraded', message || failureMessage(obj));
    case 'Running': {
      const judgeByReadiness =
        restartPolicy === 'Always' ||
        annotationOf(obj, IGNORE_RESTART_POLICY_ANNOTATION) !== undefined;
      if (!judgeByReadiness) return health('Progressing', message);
      if (findCondition(obj, 'Ready')?.status === 'True') return health('Healthy', message);
      const restarted = containers.some(
        (c) => readObject(c, ['lastState', 'terminated']) !== undefined,
      );
      return health(restarted ? 'Degraded' : 'Progressing', message);
    }
    default:
      return health('Unknown', message);
  }
}

/** The first useful reason among init then regular containers that terminated. */
function failureMessage(obj: KubeObject): string {
  const all = [
    ...readObjects(obj, ['status', 'initContainerStatuses']),
    ...readObjects(obj, ['status', 'containerStatuses']),
  ];
  for (const container of all) {
    const terminated = readObject(container, ['state', 'terminated']);
    if (!terminated) continue;
    const text = readString(terminated, ['message']) ?? '';
    if (text) return text;
    if (readString(terminated, ['reason']) === 'OOMKilled') return 'OOMKilled';
    const exitCode = readInt(terminated, ['exitCode']) ?? 0;
    if (exitCode !== 0)
      return `container "${readString(container, ['name']) ?? ''}" failed with exit code ${exitCode}`;
  }
  return '';
}
