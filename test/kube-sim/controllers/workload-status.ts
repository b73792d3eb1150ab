/**
 * The status the kube-controller-manager (and the kubelet, for pods) would
 * write for a workload while it rolls out and once it is ready, in the shape
 * health checks read (Argo CD's `pkg/health`: observedGeneration, replica
 * counts, the Progressing condition). A container image tagged `fail` never
 * becomes ready: Deployments report `ProgressDeadlineExceeded`, Jobs
 * `BackoffLimitExceeded`, pods `ImagePullBackOff`. Pure functions.
 */
import { createHash } from 'node:crypto';
import { Json, JsonMap, childMap, isJsonMap } from '../api/json';
import { KubeObject, kubeTime, objectName } from '../api/kube-object';

/** How far a rollout got. */
export type RolloutPhase = 'progressing' | 'ready' | 'failed';

/** Kinds whose status the simulated controllers write. */
export const SIMULATED_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'PersistentVolumeClaim',
  'Service',
  'Pod',
]);

function podTemplateOf(object: KubeObject): JsonMap | undefined {
  if (object.kind === 'Pod') return { spec: object.spec ?? {} };
  return childMap(childMap(object, 'spec'), 'template');
}

/** True when a container of the pod (template) uses an image tagged `fail`. */
export function usesFailingImage(object: KubeObject): boolean {
  const spec = childMap(podTemplateOf(object), 'spec');
  const containers = [spec?.initContainers, spec?.containers].flatMap((list) =>
    Array.isArray(list) ? list.filter(isJsonMap) : [],
  );
  return containers.some((c) => typeof c.image === 'string' && /:fail$/.test(c.image));
}

/** Hashes by template; stored objects are immutable, and versions share an unchanged template. */
const hashes = new WeakMap<object, string>();

/** A stable short hash of the pod template, like `pod-template-hash`. */
export function templateHash(object: KubeObject): string {
  const template = object.kind === 'Pod' ? object.spec : childMap(object, 'spec')?.template;
  const cached = typeof template === 'object' && template !== null && hashes.get(template);
  if (cached) return cached;
  const digest = createHash('sha256')
    .update(JSON.stringify(podTemplateOf(object) ?? {}))
    .digest();
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const hash = [...digest.subarray(0, 10)].map((b) => alphabet[b % alphabet.length]).join('');
  if (typeof template === 'object' && template !== null) hashes.set(template, hash);
  return hash;
}

function replicasOf(object: KubeObject): number {
  const replicas = childMap(object, 'spec')?.replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

function generationOf(object: KubeObject): number {
  const generation = object.metadata.generation;
  return typeof generation === 'number' ? generation : 0;
}

function condition(
  type: string,
  status: string,
  reason: string,
  message: string,
  now: Date,
): JsonMap {
  const time = kubeTime(now);
  return { type, status, lastUpdateTime: time, lastTransitionTime: time, reason, message };
}

/** Drops zero counts, which the API server's JSON omits (`omitempty`). */
function withoutZeros(status: JsonMap): JsonMap {
  const out: JsonMap = {};
  for (const [key, value] of Object.entries(status)) if (value !== 0) out[key] = value;
  return out;
}

function deploymentStatus(d: KubeObject, phase: RolloutPhase, now: Date): JsonMap {
  const replicas = replicasOf(d);
  const rs = `${objectName(d)}-${templateHash(d)}`;
  const ready = phase === 'ready' ? replicas : 0;
  const available =
    phase === 'ready'
      ? condition(
          'Available',
          'True',
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
          now,
        )
      : condition(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
          now,
        );
  const progressing = {
    progressing: condition(
      'Progressing',
      'True',
      'ReplicaSetUpdated',
      `ReplicaSet "${rs}" is progressing.`,
      now,
    ),
    ready: condition(
      'Progressing',
      'True',
      'NewReplicaSetAvailable',
      `ReplicaSet "${rs}" has successfully progressed.`,
      now,
    ),
    failed: condition(
      'Progressing',
      'False',
      'ProgressDeadlineExceeded',
      `ReplicaSet "${rs}" has timed out progressing.`,
      now,
    ),
  }[phase];
  return {
    ...withoutZeros({
      observedGeneration: generationOf(d),
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      unavailableReplicas: replicas - ready,
    }),
    conditions: [available, progressing],
  };
}

function statefulSetStatus(s: KubeObject, phase: RolloutPhase): JsonMap {
  const replicas = replicasOf(s);
  const ready = phase === 'ready' ? replicas : 0;
  const revision = `${objectName(s)}-${templateHash(s)}`;
  return {
    ...withoutZeros({
      observedGeneration: generationOf(s),
      replicas,
      readyReplicas: ready,
      currentReplicas: replicas,
      updatedReplicas: replicas,
      availableReplicas: ready,
    }),
    currentRevision: revision,
    updateRevision: revision,
    collisionCount: 0,
  };
}

function daemonSetStatus(ds: KubeObject, phase: RolloutPhase, nodes: number): JsonMap {
  const ready = phase === 'ready' ? nodes : 0;
  return {
    currentNumberScheduled: nodes,
    desiredNumberScheduled: nodes,
    numberMisscheduled: 0,
    numberReady: ready,
    ...withoutZeros({ numberAvailable: ready, numberUnavailable: nodes - ready }),
    observedGeneration: generationOf(ds),
    updatedNumberScheduled: nodes,
  };
}

function replicaSetStatus(rs: KubeObject, phase: RolloutPhase): JsonMap {
  const replicas = replicasOf(rs);
  const ready = phase === 'ready' ? replicas : 0;
  return {
    replicas,
    ...withoutZeros({
      fullyLabeledReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
    }),
    observedGeneration: generationOf(rs),
  };
}

function jobStatus(
  job: KubeObject,
  phase: RolloutPhase,
  now: Date,
  previous: Json | undefined,
): JsonMap {
  const spec = childMap(job, 'spec') ?? {};
  const started =
    (isJsonMap(previous) && typeof previous.startTime === 'string' && previous.startTime) ||
    kubeTime(now);
  const base: JsonMap = {
    startTime: started,
    ready: 0,
    terminating: 0,
    uncountedTerminatedPods: {},
  };
  if (phase === 'progressing')
    return { ...base, active: typeof spec.parallelism === 'number' ? spec.parallelism : 1 };
  const time = kubeTime(now);
  const cond = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastProbeTime: time,
    lastTransitionTime: time,
    reason,
    message,
  });
  if (phase === 'failed') {
    const limit = typeof spec.backoffLimit === 'number' ? spec.backoffLimit : 6;
    return {
      ...base,
      failed: limit + 1,
      conditions: [
        cond(
          'FailureTarget',
          'BackoffLimitExceeded',
          'Job has reached the specified backoff limit',
        ),
        cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
      ],
    };
  }
  return {
    ...base,
    completionTime: time,
    succeeded: typeof spec.completions === 'number' ? spec.completions : 1,
    conditions: [
      cond('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'),
      cond('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'),
    ],
  };
}

function podStatus(pod: KubeObject, phase: RolloutPhase, now: Date): JsonMap {
  const time = kubeTime(now);
  const spec = childMap(pod, 'spec') ?? {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isJsonMap) : [];
  const running = phase === 'ready';
  const cond = (type: string, ok: boolean) => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: time,
  });
  return {
    phase: running ? 'Running' : 'Pending',
    conditions: [
      cond('PodReadyToStartContainers', true),
      cond('Initialized', true),
      cond('Ready', running),
      cond('ContainersReady', running),
      cond('PodScheduled', true),
    ],
    hostIP: '172.18.0.2',
    podIP: '10.244.0.10',
    startTime: time,
    qosClass: 'BestEffort',
    containerStatuses: containers.map((c): JsonMap => ({
      name: c.name ?? '',
      image: c.image ?? '',
      imageID: '',
      ready: running,
      started: running,
      restartCount: 0,
      state: running
        ? { running: { startedAt: time } }
        : phase === 'failed'
          ? {
              waiting: {
                reason: 'ImagePullBackOff',
                message: `Back-off pulling image "${String(c.image)}"`,
              },
            }
          : { waiting: { reason: 'ContainerCreating' } },
    })),
  };
}

/** Settings of the simulated cluster that shape statuses. */
export interface SimulatedNodes {
  /** Nodes a DaemonSet schedules onto. */
  readonly nodes: number;
}

/** The status of a workload in `phase`, or undefined for kinds without a simulated status. */
export function workloadStatus(
  object: KubeObject,
  phase: RolloutPhase,
  now: Date,
  cluster: SimulatedNodes,
): JsonMap | undefined {
  switch (object.kind) {
    case 'Deployment':
      return deploymentStatus(object, phase, now);
    case 'StatefulSet':
      return statefulSetStatus(object, phase);
    case 'DaemonSet':
      return daemonSetStatus(object, phase, cluster.nodes);
    case 'ReplicaSet':
      return replicaSetStatus(object, phase);
    case 'Job':
      return jobStatus(object, phase, now, object.status);
    case 'Pod':
      return podStatus(object, phase, now);
    default:
      return undefined;
  }
}
