/**
 * A benchmark prints figures; it never asserts on time (targets are read by
 * people, with the machine's noise in mind). `npm run bench` runs them all,
 * or only those named on the command line: `npm run bench -- kube-sim`.
 */
export interface Benchmark {
  /** Short name used to select it on the command line. */
  readonly name: string;
  /** What it measures and the target it is compared against. */
  readonly description: string;
  run(print: (line: string) => void): Promise<void>;
}

/** Percentile of an unsorted sample (nearest-rank). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Milliseconds since `start` (from `process.hrtime.bigint()`), to two decimals. */
export function elapsedMs(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 10_000) / 100;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
