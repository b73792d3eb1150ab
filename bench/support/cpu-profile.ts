/**
 * A V8 CPU profile of one stretch of a benchmark, written when the
 * environment names a file (open it in Chrome DevTools or speedscope), so
 * a slow figure can be explained without patching the build.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** Profiles until the returned function is awaited; a no-op when `file` is undefined. */
export async function profileCpu(file: string | undefined): Promise<() => Promise<void>> {
  if (!file) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 1 ms: fine enough for passes of a few milliseconds, coarse enough not to slow them.
  await session.post('Profiler.setSamplingInterval', { interval: 1_000 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/**
 * A sampling profile of every allocation (also those the collector has since freed) until the
 * returned function is awaited: where garbage comes from. A no-op when `file` is undefined.
 */
export async function profileAllocations(file: string | undefined): Promise<() => Promise<void>> {
  if (!file) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 64 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}
