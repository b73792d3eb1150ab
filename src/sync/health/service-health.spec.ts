import { KubeObject } from '../manifests/kube-object';
import { assessHealth } from './assess-health';
import { HealthStatus } from './health-status';

const obj = (apiVersion: string, kind: string, spec: object, status: object): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x', namespace: 'n' },
  spec,
  status,
});
const lbIngress = { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } };

describe('Service, Ingress and PVC health (B2 rows)', () => {
  it.each<[string, KubeObject, HealthStatus]>([
    [
      'ClusterIP Service',
      obj('v1', 'Service', { type: 'ClusterIP' }, {}),
      { status: 'Healthy', message: '' },
    ],
    ['Service without type', obj('v1', 'Service', {}, {}), { status: 'Healthy', message: '' }],
    [
      'LoadBalancer with an ingress',
      obj('v1', 'Service', { type: 'LoadBalancer' }, lbIngress),
      { status: 'Healthy', message: '' },
    ],
    [
      'LoadBalancer without an ingress',
      obj('v1', 'Service', { type: 'LoadBalancer' }, { loadBalancer: {} }),
      { status: 'Progressing', message: '' },
    ],
    [
      'LoadBalancer with an empty ingress list',
      obj('v1', 'Service', { type: 'LoadBalancer' }, { loadBalancer: { ingress: [] } }),
      { status: 'Progressing', message: '' },
    ],
    [
      'Ingress with an address',
      obj('networking.k8s.io/v1', 'Ingress', {}, lbIngress),
      { status: 'Healthy', message: '' },
    ],
    [
      'Ingress without an address',
      obj('networking.k8s.io/v1', 'Ingress', {}, {}),
      { status: 'Progressing', message: '' },
    ],
    [
      'legacy extensions Ingress',
      obj('extensions/v1beta1', 'Ingress', {}, lbIngress),
      { status: 'Healthy', message: '' },
    ],
    [
      'PVC Bound',
      obj('v1', 'PersistentVolumeClaim', {}, { phase: 'Bound' }),
      { status: 'Healthy', message: '' },
    ],
    [
      'PVC Pending',
      obj('v1', 'PersistentVolumeClaim', {}, { phase: 'Pending' }),
      { status: 'Progressing', message: '' },
    ],
    [
      'PVC Lost',
      obj('v1', 'PersistentVolumeClaim', {}, { phase: 'Lost' }),
      { status: 'Degraded', message: '' },
    ],
    [
      'PVC with another phase',
      obj('v1', 'PersistentVolumeClaim', {}, { phase: 'Resizing' }),
      { status: 'Unknown', message: '' },
    ],
    [
      'PVC without status',
      obj('v1', 'PersistentVolumeClaim', {}, {}),
      { status: 'Unknown', message: '' },
    ],
  ])('%s', (_name, input, expected) => {
    expect(assessHealth(input)).toEqual(expected);
  });
});
