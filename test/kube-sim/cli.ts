/**
 * kube-sim as a process: `npm run kube-sim -- --clusters 100 --port 6443
 * --kubeconfig PATH` starts the clusters, writes a kubeconfig with one
 * context per cluster (`sim-0` ... `sim-99`), prints where it wrote it, and
 * serves until SIGINT or SIGTERM.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeSim } from './index';

const USAGE = `usage: kube-sim [--clusters N] [--port PORT] [--kubeconfig PATH] [--plain-http]
                [--http1] [--listeners shared|per-cluster] [--readiness-delay MS]`;

interface CliOptions {
  clusters: number;
  port: number;
  kubeconfig: string;
  tls: boolean;
  http2: boolean;
  listeners: 'shared' | 'per-cluster';
  readinessDelayMs: number;
}

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a non-negative integer, got "${text}"`);
  return value;
}

/** Reads the command line (a pure function of `argv` and the working directory). */
export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      clusters: { type: 'string' },
      port: { type: 'string' },
      kubeconfig: { type: 'string' },
      'plain-http': { type: 'boolean' },
      http1: { type: 'boolean' },
      listeners: { type: 'string' },
      'readiness-delay': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new Error(USAGE);
  const listeners = values.listeners ?? 'shared';
  if (listeners !== 'shared' && listeners !== 'per-cluster') {
    throw new Error(`--listeners must be "shared" or "per-cluster", got "${listeners}"`);
  }
  const clusters = integer('clusters', values.clusters, 1);
  if (clusters < 1) throw new Error('--clusters must be at least 1');
  return {
    clusters,
    port: integer('port', values.port, 6443),
    kubeconfig: resolve(values.kubeconfig ?? 'kube-sim.kubeconfig'),
    tls: !values['plain-http'],
    // HTTP/2 is offered through TLS only, as kube-apiserver does.
    http2: !values.http1 && !values['plain-http'],
    listeners,
    readinessDelayMs: integer('readiness-delay', values['readiness-delay'], 50),
  };
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  // The handlers come before the clusters start and long before the line that
  // says they are ready: a caller that stops kube-sim as soon as it reads that
  // line must find them installed, not Node's default (death by the signal).
  const starting = KubeSim.start({
    clusters: options.clusters,
    port: options.port,
    tls: options.tls,
    http2: options.http2,
    listeners: options.listeners,
    readinessDelayMs: options.readinessDelayMs,
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`kube-sim: ${signal} received, stopping`);
    starting
      .then((sim) => sim.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  const sim = await starting;
  if (stopping) return;
  await sim.writeKubeconfig(options.kubeconfig);
  if (stopping) return;
  console.log(
    `kube-sim: ${options.clusters} cluster(s) on ${options.tls ? 'https' : 'http'}://127.0.0.1:${sim.port}; ` +
      `kubeconfig written to ${options.kubeconfig} (contexts ${sim.clusters[0].name} ... ${sim.clusters[sim.clusters.length - 1].name})`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('kube-sim:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
