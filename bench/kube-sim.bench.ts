/**
 * kube-sim at fleet scale: memory per idle virtual cluster (1,000 clusters,
 * default options: HTTPS, a port per cluster), then server-side applies per
 * second across 1,000 clusters (a ConfigMap, a Deployment and a Service per
 * cluster: first applies that create, applies that change them, unchanged
 * re-applies), over plain HTTP on the shared port and over HTTPS with a port
 * per cluster. The client is a child process
 * (test/kube-sim/testing/apply-load.client.ts), as a sync engine would be, so
 * this process's CPU time is kube-sim's alone: applies per CPU-second is what
 * one free core sustains, which other load on the machine disturbs less than
 * the wall clock. Targets: >= 2,000 applies/s, < 1 MiB per idle cluster.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeSim, KubeSimOptions } from '../test/kube-sim';
import type { LoadPhase, LoadResult, LoadTarget } from '../test/kube-sim/testing/apply-load.client';
import { Benchmark, mib } from './benchmark';

const CLUSTERS = 1_000;
const IN_FLIGHT = 64;
const CLIENT = join(__dirname, '..', 'test', 'kube-sim', 'testing', 'apply-load.client.js');

/**
 * CPU seconds of this process's main thread (the event loop kube-sim runs
 * on), from Linux's /proc; undefined elsewhere. GC and I/O helper threads run
 * beside it, so this, not the process total, bounds what one core sustains.
 */
function mainThreadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return undefined;
  }
}

/** Runs load phases in a child process, one at a time. */
function startLoad(target: LoadTarget) {
  const child = fork(CLIENT, [], { stdio: 'inherit' });
  child.send(target);
  const run = (phase: LoadPhase) =>
    new Promise<LoadResult>((resolve, reject) => {
      const exited = () => reject(new Error('the load client exited'));
      child.once('exit', exited);
      child.once('message', (result: LoadResult | { error: string }) => {
        child.off('exit', exited);
        if ('error' in result) reject(new Error(result.error));
        else resolve(result);
      });
      child.send(phase);
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.disconnect();
    });
  return { run, stop };
}

async function phase(
  print: (line: string) => void,
  label: string,
  load: ReturnType<typeof startLoad>,
  revisions: number[],
): Promise<{ wall: number; cpu: number; loop: number }> {
  const before = process.cpuUsage();
  const threadBefore = mainThreadCpuSeconds();
  const result = await load.run({ revisions });
  const used = process.cpuUsage(before);
  const threadAfter = mainThreadCpuSeconds();
  if (result.failures.length) throw new Error(`applies failed: ${result.failures.join('; ')}`);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const loopSeconds =
    threadBefore !== undefined && threadAfter !== undefined ? threadAfter - threadBefore : NaN;
  const wall = Math.round(result.applies / result.seconds);
  const cpu = Math.round(result.applies / cpuSeconds);
  const loop = Math.round(result.applies / loopSeconds);
  print(
    `  ${label.padEnd(26)} ${String(result.applies).padStart(5)} in ${result.seconds.toFixed(1).padStart(5)} s: ${String(wall).padStart(5)}/s wall | ${String(loop).padStart(5)}/s per event-loop CPU-s | ${String(cpu).padStart(5)}/s per process CPU-s | p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`,
  );
  return { wall, cpu, loop };
}

async function throughput(print: (line: string) => void, options: KubeSimOptions): Promise<void> {
  const tls = options.tls !== false;
  print(
    `server-side applies across ${CLUSTERS} clusters, ${IN_FLIGHT} in flight, ${tls ? 'HTTPS' : 'plain HTTP'}, ${options.listeners === 'shared' ? 'one shared port' : 'a port per cluster'}:`,
  );
  const sim = await KubeSim.start({ clusters: CLUSTERS, requestLogLimit: 100, ...options });
  const load = startLoad({
    clusters: sim.clusters.map((c) => ({ server: c.server, token: c.token })),
    caPem: sim.caPem,
    inFlight: IN_FLIGHT,
  });
  try {
    await phase(print, 'first apply (creates)', load, [1]);
    const changed = await phase(print, 'changed apply (rollout)', load, [2, 3, 4]);
    const unchanged = await phase(print, 'unchanged re-apply (no-op)', load, [4, 4, 4]);
    const patches = sim.clusters.reduce((n, c) => n + c.log.counters().patch, 0);
    print(`  (PATCH requests counted by the clusters: ${patches})`);
    print(
      `  => changed: ${changed.wall}/s wall, ${changed.loop}/s per event-loop CPU-s; unchanged: ${unchanged.wall}/s wall, ${unchanged.loop}/s per event-loop CPU-s (target >= 2,000/s)`,
    );
  } finally {
    await load.stop();
    await sim.stop();
  }
}

async function memoryPerCluster(print: (line: string) => void): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) print('(no --expose-gc: memory figures include garbage; run through `npm run bench`)');
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    gc?.();
    gc?.();
  };
  await settle();
  const before = process.memoryUsage();
  const sim = await KubeSim.start({ clusters: CLUSTERS });
  await settle();
  const after = process.memoryUsage();
  const perCluster = (bytes: number) => `${(bytes / CLUSTERS / 1024).toFixed(1)} KiB`;
  print(
    `memory of ${CLUSTERS} idle clusters (HTTPS, a port each, 4 namespaces and their service accounts): heap +${mib(after.heapUsed - before.heapUsed)}, RSS +${mib(after.rss - before.rss)}`,
  );
  print(
    `  => per idle virtual cluster: heap ${perCluster(after.heapUsed - before.heapUsed)}, RSS ${perCluster(after.rss - before.rss)} (target < 1 MiB)`,
  );
  await sim.stop();
}

export const benchmark: Benchmark = {
  name: 'kube-sim',
  description: `memory per idle virtual cluster and server-side applies/s across ${CLUSTERS} clusters (targets < 1 MiB, >= 2,000/s); client in a child process`,
  async run(print) {
    await memoryPerCluster(print);
    await throughput(print, { tls: false, listeners: 'shared' });
    await throughput(print, { tls: true, listeners: 'per-cluster' });
  },
};
