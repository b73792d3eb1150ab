import { KubeObject } from '../manifests/kube-object';
import { assessHealth } from './assess-health';
import { HealthStatus } from './health-status';

function pod(
  restartPolicy: string | undefined,
  status: object,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'prod', ...(annotations ? { annotations } : {}) },
    spec: restartPolicy ? { restartPolicy } : {},
    status,
  };
}
const ready = { type: 'Ready', status: 'True' };
const notReady = { type: 'Ready', status: 'False' };
const waiting = (reason: string, message: string) => ({
  name: 'app',
  state: { waiting: { reason, message } },
});

describe('Pod health (B2 row "Pod")', () => {
  it.each<[string, KubeObject, HealthStatus]>([
    [
      'Always, running and Ready',
      pod('Always', { phase: 'Running', conditions: [ready] }),
      { status: 'Healthy', message: '' },
    ],
    [
      'no restartPolicy reads as the default Always',
      pod(undefined, { phase: 'Running', conditions: [ready] }),
      { status: 'Healthy', message: '' },
    ],
    [
      'Always, running, not Ready yet',
      pod('Always', { phase: 'Running', conditions: [notReady] }),
      { status: 'Progressing', message: '' },
    ],
    [
      'Always, not Ready after a container terminated',
      pod('Always', {
        phase: 'Running',
        message: 'restarting',
        conditions: [notReady],
        containerStatuses: [{ name: 'app', lastState: { terminated: { exitCode: 1 } } }],
      }),
      { status: 'Degraded', message: 'restarting' },
    ],
    [
      'CrashLoopBackOff',
      pod('Always', {
        phase: 'Running',
        containerStatuses: [waiting('CrashLoopBackOff', 'back-off restarting')],
      }),
      { status: 'Degraded', message: 'back-off restarting' },
    ],
    [
      'ImagePullBackOff and ErrImagePull together',
      pod('Always', {
        phase: 'Pending',
        containerStatuses: [waiting('ImagePullBackOff', 'a'), waiting('ErrImagePull', 'b')],
      }),
      { status: 'Degraded', message: 'a, b' },
    ],
    [
      'CreateContainerConfigError',
      pod('Always', {
        phase: 'Pending',
        containerStatuses: [waiting('CreateContainerConfigError', 'no secret')],
      }),
      { status: 'Degraded', message: 'no secret' },
    ],
    [
      'ContainerCreating is not a failure',
      pod('Always', {
        phase: 'Pending',
        message: 'scheduling',
        containerStatuses: [waiting('ContainerCreating', '')],
      }),
      { status: 'Progressing', message: 'scheduling' },
    ],
    [
      'Never, ImagePullBackOff is not judged early (hooks)',
      pod('Never', { phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff', 'x')] }),
      { status: 'Progressing', message: '' },
    ],
    [
      'Never, running',
      pod('Never', { phase: 'Running', conditions: [ready] }),
      { status: 'Progressing', message: '' },
    ],
    [
      'OnFailure, running',
      pod('OnFailure', { phase: 'Running', conditions: [ready] }),
      { status: 'Progressing', message: '' },
    ],
    [
      'OnFailure, running, with ignore-restart-policy',
      pod(
        'OnFailure',
        { phase: 'Running', conditions: [ready] },
        { 'argocd.argoproj.io/ignore-restart-policy': 'true' },
      ),
      { status: 'Healthy', message: '' },
    ],
    ['Never, succeeded', pod('Never', { phase: 'Succeeded' }), { status: 'Healthy', message: '' }],
    [
      'failed with a Pod message',
      pod('Never', { phase: 'Failed', message: 'evicted' }),
      { status: 'Degraded', message: 'evicted' },
    ],
    [
      'failed: the terminated init container message',
      pod('Never', {
        phase: 'Failed',
        initContainerStatuses: [
          { name: 'init', state: { terminated: { message: 'migration failed', exitCode: 2 } } },
        ],
      }),
      { status: 'Degraded', message: 'migration failed' },
    ],
    [
      'failed: OOMKilled',
      pod('Never', {
        phase: 'Failed',
        containerStatuses: [
          { name: 'app', state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } },
        ],
      }),
      { status: 'Degraded', message: 'OOMKilled' },
    ],
    [
      'failed: exit code',
      pod('Never', {
        phase: 'Failed',
        containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 3 } } }],
      }),
      { status: 'Degraded', message: 'container "app" failed with exit code 3' },
    ],
    [
      'failed with nothing to say',
      pod('Never', { phase: 'Failed' }),
      { status: 'Degraded', message: '' },
    ],
    [
      'unknown phase',
      pod('Always', { phase: 'Unknown', message: 'node lost' }),
      { status: 'Unknown', message: 'node lost' },
    ],
  ])('%s', (_name, obj, expected) => {
    expect(assessHealth(obj)).toEqual(expected);
  });
});
