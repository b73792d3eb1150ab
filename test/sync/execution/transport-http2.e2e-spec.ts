/**
 * The cluster transport's HTTP/2: against an API server that offers it
 * (kube-sim, as kube-apiserver, through ALPN) every request and watch of a
 * cluster share one connection; a server that does not is spoken to over
 * HTTP/1.1; a dropped connection is replaced by the next request.
 */
import { KubeTransport } from '../../../src/kube/kube-transport';
import { KubeApiError } from '../../../src/kube/kube-failure';
import { KubeSim, SimCluster } from '../../kube-sim';
import { eventually } from '../../support/wait';
import { accessOf } from './execution-kit';

const SETTINGS = { requestTimeoutMs: 2_000, concurrency: 8 };

const listNamespaces = (transport: KubeTransport) =>
  transport.request({ method: 'GET', path: '/api/v1/namespaces', verb: 'list', what: 'list' });

describe('KubeTransport over HTTP/2', () => {
  const transports: KubeTransport[] = [];
  const sims: KubeSim[] = [];

  afterEach(async () => {
    transports.splice(0).forEach((transport) => transport.close());
    await Promise.all(sims.splice(0).map((sim) => sim.stop()));
  });

  async function start(
    http2: boolean,
  ): Promise<{ sim: KubeSim; cluster: SimCluster; transport: KubeTransport }> {
    const sim = await KubeSim.start({ clusters: 1, http2 });
    sims.push(sim);
    const cluster = sim.clusters[0];
    const transport = await KubeTransport.create(accessOf(cluster), SETTINGS);
    transports.push(transport);
    return { sim, cluster, transport };
  }

  it('sends every request and watch of a cluster over one connection', async () => {
    // Given a cluster whose API server offers HTTP/2
    const { sim, cluster, transport } = await start(true);
    // When many requests run at once while a watch is open
    const lines: string[] = [];
    const watching = new AbortController();
    const watch = transport.stream(
      {
        path: '/api/v1/namespaces/default/configmaps',
        query: { watch: 'true' },
        verb: 'watch',
        what: 'watch',
        signal: watching.signal,
      },
      (line) => lines.push(line),
      60_000,
    );
    await Promise.all(Array.from({ length: 20 }, () => listNamespaces(transport)));
    await transport.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seen' } }),
      verb: 'create',
      what: 'create',
    });
    await eventually(async () => lines.some((line) => line.includes('"seen"')));
    watching.abort();
    await watch;
    // Then they shared a single TLS connection, negotiated as h2
    expect(transport.protocol).toBe('h2');
    expect(sim.connectionsAccepted(cluster.name)).toBe(1);
    expect(cluster.log.counters().list).toBe(20);
  });

  it('reads a large list over HTTP/2 whole', async () => {
    // A list of several MiB crosses many flow-control windows
    const { cluster, transport } = await start(true);
    const value = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 80; i++) {
      cluster.objects.put({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `big-${i}`, namespace: 'default' },
        data: { value },
      });
    }
    const answer = await transport.request({
      method: 'GET',
      path: '/api/v1/namespaces/default/configmaps',
      verb: 'list',
      what: 'list',
    });
    expect(answer.body.length).toBeGreaterThan(80 * 64 * 1024);
    expect((JSON.parse(answer.body) as { items: unknown[] }).items).toHaveLength(80);
    expect(transport.protocol).toBe('h2');
  });

  it('speaks HTTP/1.1 to a server that does not offer HTTP/2', async () => {
    const { sim, cluster, transport } = await start(false);
    await Promise.all(Array.from({ length: 3 }, () => listNamespaces(transport)));
    expect(transport.protocol).toBe('h1');
    // (one connection offered h2 and was declined; then one per request in flight)
    expect(sim.connectionsAccepted(cluster.name)).toBe(1 + 3);
    // Connections stay open while idle longer than Node's default 5 s keep-alive, as an API
    // server's do, so an idle cluster costs no new handshake
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const answer = await listNamespaces(transport);
    expect(JSON.parse(answer.body)).toMatchObject({ kind: 'NamespaceList' });
    expect(sim.connectionsAccepted(cluster.name)).toBe(1 + 3);
  });

  it('moves to a new connection before one runs out of stream ids, letting streams in flight finish', async () => {
    const sim = await KubeSim.start({ clusters: 1 });
    sims.push(sim);
    const cluster = sim.clusters[0];
    const transport = await KubeTransport.create(accessOf(cluster), {
      ...SETTINGS,
      streamsPerConnection: 5,
    });
    transports.push(transport);
    // 5 requests on the first connection, then the next 5 on a second
    for (let i = 0; i < 10; i++) await listNamespaces(transport);
    expect(sim.connectionsAccepted(cluster.name)).toBe(2);
    // Requests in flight when the limit is reached still get their answers
    await Promise.all(Array.from({ length: 12 }, () => listNamespaces(transport)));
    expect(cluster.log.counters().list).toBe(22);
  });

  it('fails the requests of a connection that went away, and reconnects for the next', async () => {
    // Given a connection in use
    const { sim, cluster, transport } = await start(true);
    await listNamespaces(transport);
    // When the API server goes down
    await ((cluster.faults.down = true), cluster.faults.applied());
    // Then a request fails as a network failure, within its deadline
    const failure = await listNamespaces(transport).then(
      () => undefined,
      (error: unknown) => (error instanceof KubeApiError ? error.failure : error),
    );
    expect(failure).toMatchObject({ kind: 'network' });
    // And once it is back, the next request opens a new connection and succeeds
    await cluster.faults.clear();
    await listNamespaces(transport);
    expect(transport.protocol).toBe('h2');
    expect(sim.connectionsAccepted(cluster.name)).toBe(2);
  });
});
