/**
 * The generators keyed by the spec field that selects them (Argo's
 * `GetGenerators`). An entry may set several kinds at top level (each runs);
 * any other field than a generator kind and `selector` is refused rather than
 * silently ignored.
 */
import { fieldPath } from '../common/field-problem';
import { ClusterGenerator } from './cluster.generator';
import { GENERATOR_KINDS, Generator, GeneratorKind, minRequeue } from './generator';
import { GeneratorLocation, invalidAt } from './generation-error';
import { GitGenerator } from './git.generator';
import { ListGenerator } from './list.generator';
import { MatrixGenerator } from './matrix.generator';
import { MergeGenerator } from './merge.generator';

/** Fields of a generator entry that are not generator kinds. */
const ENTRY_FIELDS = new Set(['selector']);

export class GeneratorRegistry {
  private readonly generators: Readonly<Record<GeneratorKind, Generator<never>>>;

  constructor() {
    const childRequeue = (child: object): number | null => this.requeueAfterSeconds(child);
    this.generators = {
      list: new ListGenerator(),
      clusters: new ClusterGenerator(),
      git: new GitGenerator(),
      matrix: new MatrixGenerator(childRequeue),
      merge: new MergeGenerator(childRequeue),
    };
  }

  /** The generator for `kind`. */
  get(kind: GeneratorKind): Generator<unknown> {
    return this.generators[kind] as Generator<unknown>;
  }

  /**
   * The kinds an entry sets (non-null fields), in Argo's order. Throws
   * GenerationError (Invalid) for an entry that is not a map or has a field
   * that is neither a supported generator nor `selector`.
   */
  kindsOf(entry: unknown, location: GeneratorLocation): GeneratorKind[] {
    const { entryPath } = location;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw invalidAt(location, entryPath, 'type', 'a generator must be a map');
    }
    for (const key of Object.keys(entry)) {
      if (!isKind(key) && !ENTRY_FIELDS.has(key)) {
        throw invalidAt(
          location,
          fieldPath(entryPath, key),
          'unknown-generator',
          `unknown generator "${key}"; Fleetplane supports ${GENERATOR_KINDS.join(', ')}`,
        );
      }
    }
    const fields = entry as Record<string, unknown>;
    const kinds = GENERATOR_KINDS.filter(
      (kind) => fields[kind] !== undefined && fields[kind] !== null,
    );
    for (const kind of kinds) {
      if (typeof fields[kind] !== 'object' || Array.isArray(fields[kind])) {
        throw invalidAt(location, fieldPath(entryPath, kind), 'type', 'must be a map');
      }
    }
    return kinds;
  }

  /** The smallest non-zero requeue of the kinds an entry sets, or null (semantics.md §4). */
  requeueAfterSeconds(entry: object): number | null {
    const fields = entry as Record<string, unknown>;
    return minRequeue(
      GENERATOR_KINDS.filter((kind) => fields[kind] !== undefined && fields[kind] !== null).map(
        (kind) => this.get(kind).requeueAfterSeconds(fields[kind]),
      ),
    );
  }
}

function isKind(key: string): key is GeneratorKind {
  return (GENERATOR_KINDS as readonly string[]).includes(key);
}
