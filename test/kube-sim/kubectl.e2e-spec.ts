/**
 * The real kubectl (1.32) against kube-sim over HTTPS with the run's CA and
 * a bearer token: version, discovery, namespace creation, server-side apply
 * of a directory, label selection, labelling, diff, delete, a CRD and its
 * custom resource, and a watch. When kubectl is not installed these cases are
 * skipped, loudly; nothing else is.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeSim, KubeObject, SimCluster } from './index';
import { KubectlSession, findKubectl } from './testing/kubectl';
import { APP, CRD, WIDGET } from './testing/kubectl-fixtures';

const KUBECTL = findKubectl();
if (!KUBECTL) {
  console.warn(
    '\n\n*** kubectl NOT FOUND (looked at $KUBECTL, /usr/bin/kubectl and PATH): ' +
      'the kubectl end-to-end cases of kube-sim are SKIPPED ***\n\n',
  );
}
const withKubectl = KUBECTL ? it : it.skip;

describe('kube-sim with the real kubectl', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  let kubectl: KubectlSession;
  let appDir: string;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 2, readinessDelayMs: 0 });
    cluster = sim.cluster('sim-0');
    if (!KUBECTL) return;
    kubectl = await KubectlSession.create(KUBECTL, sim.kubeconfig());
    appDir = join(kubectl.dir, 'app');
    await mkdir(appDir);
    for (const [file, text] of Object.entries(APP)) await writeFile(join(appDir, file), text);
    await writeFile(join(kubectl.dir, 'crd.yaml'), CRD);
    await writeFile(join(kubectl.dir, 'widget.yaml'), WIDGET);
  });
  afterAll(async () => {
    await kubectl?.dispose();
    await sim.stop();
  });

  const get = (apiVersion: string, kind: string, name: string, namespace?: string) =>
    cluster.objects.get({ apiVersion, kind, name, namespace });

  withKubectl('kubectl version reports the client and a 1.32 server', async () => {
    const version = JSON.parse(await kubectl.ok(['version', '-o', 'json'])) as {
      serverVersion: { major: string; minor: string; gitVersion: string };
    };
    expect(version.serverVersion).toEqual(
      expect.objectContaining({ major: '1', minor: '32', gitVersion: 'v1.32.0+kube-sim' }),
    );
  });

  withKubectl('kubectl api-resources lists the built-in kinds from discovery', async () => {
    const out = await kubectl.ok(['api-resources', '--no-headers']);
    const rows = out
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/));
    const byName = new Map(rows.map((row) => [row[0], row]));
    expect(byName.get('deployments')).toEqual([
      'deployments',
      'deploy',
      'apps/v1',
      'true',
      'Deployment',
    ]);
    expect(byName.get('namespaces')).toEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    for (const name of [
      'configmaps',
      'secrets',
      'services',
      'jobs',
      'cronjobs',
      'ingresses',
      'clusterroles',
      'customresourcedefinitions',
    ]) {
      expect(byName.has(name)).toBe(true);
    }
  });

  withKubectl('kubectl create namespace creates it', async () => {
    expect(await kubectl.ok(['create', 'namespace', 'demo'])).toBe('namespace/demo created\n');
    expect(get('v1', 'Namespace', 'demo')?.status).toEqual({ phase: 'Active' });
  });

  withKubectl(
    'kubectl apply --server-side -f DIR creates a Deployment, Service and ConfigMap',
    async () => {
      const out = await kubectl.ok(['apply', '--server-side', '-f', appDir]);
      expect(out.trim().split('\n').sort()).toEqual([
        'configmap/web-config serverside-applied',
        'deployment.apps/web serverside-applied',
        'service/web serverside-applied',
      ]);
      const deployment = get('apps/v1', 'Deployment', 'web', 'demo') as KubeObject;
      expect(deployment.metadata.managedFields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ manager: 'kubectl', operation: 'Apply' }),
        ]),
      );
      expect(get('v1', 'Service', 'web', 'demo')?.spec).toEqual(
        expect.objectContaining({ clusterIP: expect.stringMatching(/^10\.96\./) }),
      );
      expect(get('v1', 'ConfigMap', 'web-config', 'demo')?.data).toEqual({ greeting: 'hello' });
    },
  );

  withKubectl('kubectl get -l app=x -o json selects by label', async () => {
    const list = JSON.parse(
      await kubectl.ok([
        'get',
        'deployments,services,configmaps',
        '-n',
        'demo',
        '-l',
        'app=x',
        '-o',
        'json',
      ]),
    ) as { kind: string; items: KubeObject[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => `${i.kind}/${i.metadata.name}`)).toEqual([
      'Deployment/web',
      'Service/web',
      'ConfigMap/web-config',
    ]);
    const none = JSON.parse(
      await kubectl.ok(['get', 'configmaps', '-n', 'demo', '-l', 'app=y', '-o', 'json']),
    ) as { items: unknown[] };
    expect(none.items).toEqual([]);
  });

  withKubectl('kubectl get prints the server-side table', async () => {
    const out = await kubectl.ok(['get', 'deployment', 'web', '-n', 'demo']);
    expect(out).toMatch(
      /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+2\/2\s+2\s+2\s+\S+\n$/,
    );
  });

  withKubectl('kubectl label adds a label', async () => {
    expect(
      await kubectl.ok(['label', '-n', 'demo', 'configmap', 'web-config', 'tier=frontend']),
    ).toBe('configmap/web-config labeled\n');
    expect(get('v1', 'ConfigMap', 'web-config', 'demo')?.metadata.labels).toEqual({
      app: 'x',
      tier: 'frontend',
    });
  });

  withKubectl(
    'kubectl diff exits 0 without a change and 1 with one (client- and server-side)',
    async () => {
      for (const mode of [[], ['--server-side']]) {
        const same = await kubectl.run(['diff', ...mode, '-f', appDir]);
        expect({ mode, code: same.code, stdout: same.stdout, stderr: same.stderr }).toEqual({
          mode,
          code: 0,
          stdout: '',
          stderr: '',
        });
      }
      const changed = join(kubectl.dir, 'changed');
      await mkdir(changed);
      await writeFile(
        join(changed, 'configmap.yaml'),
        APP['configmap.yaml'].replace('hello', 'goodbye'),
      );
      for (const mode of [[], ['--server-side']]) {
        const diff = await kubectl.run(['diff', ...mode, '-f', changed]);
        expect({ mode, code: diff.code, stderr: diff.stderr }).toEqual({
          mode,
          code: 1,
          stderr: '',
        });
        expect(diff.stdout).toMatch(/^-\s+greeting: hello$/m);
        expect(diff.stdout).toMatch(/^\+\s+greeting: goodbye$/m);
        expect(diff.stdout).not.toMatch(/^[-+]\s+(annotations|managedFields|resourceVersion)/m);
      }
      // diff is a dry run: nothing changed
      expect(get('v1', 'ConfigMap', 'web-config', 'demo')?.data).toEqual({ greeting: 'hello' });
    },
  );

  withKubectl('kubectl delete -f removes what the directory describes', async () => {
    const out = await kubectl.ok(['delete', '-f', appDir]);
    expect(out.trim().split('\n').sort()).toEqual([
      'configmap "web-config" deleted',
      'deployment.apps "web" deleted',
      'service "web" deleted',
    ]);
    expect(get('apps/v1', 'Deployment', 'web', 'demo')).toBeUndefined();
    expect(get('v1', 'Service', 'web', 'demo')).toBeUndefined();
    expect(get('v1', 'ConfigMap', 'web-config', 'demo')).toBeUndefined();
  });

  withKubectl('kubectl apply of a CRD, then of a custom resource of it', async () => {
    expect(await kubectl.ok(['apply', '-f', join(kubectl.dir, 'crd.yaml')])).toBe(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n',
    );
    // kubectl's discovery cache predates the CRD; apply refreshes it on a miss, as with a real server.
    expect(await kubectl.ok(['apply', '-f', join(kubectl.dir, 'widget.yaml')])).toBe(
      'widget.example.com/blue-widget created\n',
    );
    expect(get('example.com/v1', 'Widget', 'blue-widget', 'demo')?.spec).toEqual({
      size: 3,
      color: 'blue',
    });
    const listed = await kubectl.ok(['get', 'wd', '-n', 'demo', '-o', 'name']);
    expect(listed).toBe('widget.example.com/blue-widget\n');
  });

  withKubectl('kubectl apply refuses a custom resource with a field its schema lacks', async () => {
    await writeFile(
      join(kubectl.dir, 'typo.yaml'),
      WIDGET.replace('blue-widget', 'typo-widget').replace('color: blue', 'colour: blue'),
    );
    for (const mode of [[], ['--server-side']]) {
      const refused = await kubectl.run(['apply', ...mode, '-f', join(kubectl.dir, 'typo.yaml')]);
      expect({ mode, code: refused.code }).toEqual({ mode, code: 1 });
      expect(refused.stderr).toMatch(
        mode.length
          ? /\.spec\.colour: field not declared in schema/
          : /strict decoding error: unknown field "spec\.colour"/,
      );
    }
    expect(get('example.com/v1', 'Widget', 'typo-widget', 'demo')).toBeUndefined();
  });

  withKubectl('kubectl edit changes an object out of band, owned by kubectl-edit', async () => {
    await kubectl.ok(['create', 'configmap', 'edited', '-n', 'demo', '--from-literal=mode=before']);
    // A non-interactive editor: kubectl hands it the object's YAML in a temporary file.
    const out = await kubectl.ok(['edit', 'configmap', 'edited', '-n', 'demo'], {
      env: { KUBE_EDITOR: 'sed -i s/before/after/' },
    });
    expect(out).toBe('configmap/edited edited\n');
    const edited = get('v1', 'ConfigMap', 'edited', 'demo') as KubeObject;
    expect(edited.data).toEqual({ mode: 'after' });
    expect(edited.metadata.managedFields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          manager: 'kubectl-edit',
          operation: 'Update',
          fieldsV1: { 'f:data': { 'f:mode': {} } },
        }),
      ]),
    );
  });

  withKubectl(
    'kubectl scale writes the replicas through /scale, owned as that subresource',
    async () => {
      await kubectl.ok(['apply', '--server-side', '-f', join(appDir, 'deployment.yaml')]);
      const out = await kubectl.ok(['scale', 'deployment', 'web', '-n', 'demo', '--replicas=5']);
      expect(out).toBe('deployment.apps/web scaled\n');
      const scaled = get('apps/v1', 'Deployment', 'web', 'demo') as KubeObject;
      expect((scaled.spec as { replicas: number }).replicas).toBe(5);
      expect(scaled.metadata.managedFields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            manager: 'kubectl',
            operation: 'Update',
            subresource: 'scale',
            fieldsV1: { 'f:spec': { 'f:replicas': {} } },
          }),
        ]),
      );
    },
  );

  withKubectl('kubectl get --watch prints an event for a change made while it runs', async () => {
    const watch = kubectl.stream([
      'get',
      'configmaps',
      '-n',
      'demo',
      '--watch',
      '--output-watch-events',
    ]);
    try {
      // Created before or after the watch started, the object shows up as ADDED (initial list or event).
      await kubectl.ok(['create', 'configmap', 'watched', '-n', 'demo', '--from-literal=a=b']);
      await watch.waitFor(/^ADDED\s+watched\s+1\s+/m);
      cluster.objects.patch(
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'watched', namespace: 'demo' },
        { data: { a: 'b', c: 'd' } },
      );
      await watch.waitFor(/^MODIFIED\s+watched\s+2\s+/m);
    } finally {
      await watch.kill();
    }
  });
});
