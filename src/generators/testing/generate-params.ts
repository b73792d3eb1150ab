/**
 * Runs one top-level generator entry through the real pipeline (registry,
 * interpolation, post-selectors), without rendering, for specs that pin
 * parameter maps.
 */
import { Generator as GeneratorEntry } from '../../argo/applicationset.types';
import { ExpansionPorts, ExpansionSources } from '../expansion-sources';
import { ParamSet } from '../generator';
import { ExpansionWarning, GenerationRun } from '../generation-run';
import { GeneratorRegistry } from '../registry';
import { InMemoryClusterSource, InMemoryGitReader } from './in-memory-ports';

const registry = new GeneratorRegistry();

/** Parameter sets of every kind of `entry` (concatenated) and the warnings reported. */
export async function generateParams(
  entry: GeneratorEntry,
  ports: Partial<ExpansionPorts> = {},
): Promise<{ params: ParamSet[]; warnings: readonly ExpansionWarning[] }> {
  const run = new GenerationRun(
    registry,
    new ExpansionSources({
      clusters: ports.clusters ?? new InMemoryClusterSource([]),
      git: ports.git ?? new InMemoryGitReader({}),
    }),
  );
  const results = await run.runEntry(entry, 0);
  return { params: results.flatMap((r) => r.params), warnings: run.warnings };
}

/** The error `promise` rejects with (fails the spec if it resolves). */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}
