import { KubeObject, ObjectRef } from './kube-object';
import {
  TRACKING_ANNOTATION,
  TrackingId,
  formatTrackingId,
  isTrackedBy,
  parseTrackingId,
  trackedAppOf,
  withTrackingId,
} from './tracking';

const ref = (group: string, kind: string, namespace: string, name: string): ObjectRef => ({
  group,
  version: 'v1',
  kind,
  namespace,
  name,
});

describe('formatTrackingId', () => {
  it.each<[ObjectRef, string]>([
    [ref('apps', 'Deployment', 'prod', 'web'), 'guestbook:apps/Deployment:prod/web'],
    [ref('', 'ConfigMap', 'prod', 'settings'), 'guestbook:/ConfigMap:prod/settings'],
    [
      ref('rbac.authorization.k8s.io', 'ClusterRole', '', 'reader'),
      'guestbook:rbac.authorization.k8s.io/ClusterRole:/reader',
    ],
  ])('formats %j in Argo CD format', (objectRef, expected) => {
    expect(formatTrackingId('guestbook', objectRef)).toBe(expected);
  });
});

describe('parseTrackingId', () => {
  it.each<[string, TrackingId | undefined]>([
    [
      'guestbook:apps/Deployment:prod/web',
      { appName: 'guestbook', group: 'apps', kind: 'Deployment', namespace: 'prod', name: 'web' },
    ],
    [
      'guestbook:/ConfigMap:prod/settings',
      { appName: 'guestbook', group: '', kind: 'ConfigMap', namespace: 'prod', name: 'settings' },
    ],
    [
      'g:rbac.authorization.k8s.io/ClusterRole:/system:auth-delegator',
      {
        appName: 'g',
        group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        namespace: '',
        name: 'system:auth-delegator',
      },
    ],
    ['guestbook', undefined],
    [':apps/Deployment:prod/web', undefined],
    ['guestbook:Deployment:prod/web', undefined],
    ['guestbook:apps/Deployment:web', undefined],
    ['guestbook:apps/:prod/web', undefined],
    ['guestbook:apps/Deployment:prod/', undefined],
  ])('parses %j', (value, expected) => {
    expect(parseTrackingId(value)).toEqual(expected);
  });
});

describe('trackedAppOf', () => {
  const deployment = (namespace: string, annotation?: string): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace,
      ...(annotation ? { annotations: { [TRACKING_ANNOTATION]: annotation } } : {}),
    },
  });
  it.each<[string, KubeObject, string | undefined]>([
    ['its own object', deployment('prod', 'guestbook:apps/Deployment:prod/web'), 'guestbook'],
    ['no annotation', deployment('prod'), undefined],
    [
      'a copy in another namespace',
      deployment('staging', 'guestbook:apps/Deployment:prod/web'),
      undefined,
    ],
    [
      'a value naming another kind',
      deployment('prod', 'guestbook:apps/StatefulSet:prod/web'),
      undefined,
    ],
    ['a garbage value', deployment('prod', 'not-a-tracking-id'), undefined],
    [
      "Argo CD's own key is not ours",
      {
        ...deployment('prod'),
        metadata: {
          name: 'web',
          namespace: 'prod',
          annotations: { 'argocd.argoproj.io/tracking-id': 'guestbook:apps/Deployment:prod/web' },
        },
      },
      undefined,
    ],
  ])('%s', (_name, obj, expected) => {
    expect(trackedAppOf(obj)).toBe(expected);
  });

  it('round-trips through withTrackingId without touching the input', () => {
    const input: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'prod', annotations: { keep: 'me' } },
    };
    const tracked = withTrackingId(input, 'platform');
    expect(tracked.metadata.annotations).toEqual({
      keep: 'me',
      [TRACKING_ANNOTATION]: 'platform:/Namespace:/prod',
    });
    expect(input.metadata.annotations).toEqual({ keep: 'me' });
    expect(isTrackedBy(tracked, 'platform')).toBe(true);
    expect(isTrackedBy(tracked, 'other')).toBe(false);
  });
});
