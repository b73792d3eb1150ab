/**
 * Runs the benchmarks and prints their figures. Register new ones in BENCHMARKS.
 */
import { Benchmark } from './benchmark';
import { benchmark as generators } from './generators.bench';
import { benchmark as kubeSim } from './kube-sim.bench';
import { benchmark as reconcile } from './reconcile.bench';
import { benchmark as registry } from './registry.bench';
import { benchmark as syncExecution } from './sync-execution.bench';
import { benchmark as sync } from './sync.bench';

const BENCHMARKS: Benchmark[] = [registry, generators, kubeSim, syncExecution, reconcile, sync];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected = wanted.length ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
  if (wanted.length && selected.length !== wanted.length) {
    const known = BENCHMARKS.map((b) => b.name).join(', ');
    throw new Error(`unknown benchmark in ${wanted.join(', ')}; known: ${known}`);
  }
  for (const benchmark of selected) {
    console.log(`\n## ${benchmark.name}: ${benchmark.description}`);
    await benchmark.run((line) => console.log(`  ${line}`));
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
