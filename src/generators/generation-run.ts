/**
 * One run of the generators of an ApplicationSet: Argo's `Transform`
 * (generator_spec_processor.go) for top-level entries and matrix/merge
 * children, the contexts generators receive, and the warnings they report.
 */
import { ChildGenerator } from '../argo/applicationset.types';
import { fieldPath } from '../common/field-problem';
import { TemplateRenderError, renderTemplate } from '../templates';
import { ExpansionSources } from './expansion-sources';
import { GENERATOR_KINDS, GenerationContext, GeneratorKind, ParamSet } from './generator';
import { GeneratorLocation, invalidAt, upstreamAt } from './generation-error';
import { compilePostSelector } from './post-selector';
import { GeneratorRegistry } from './registry';

/** Something a preview should show, though generation succeeded. */
export interface ExpansionWarning {
  readonly message: string;
  /** ApplicationSet path: `spec.template.metadata.name`, `spec.generators[0].clusters.values.env`. */
  readonly field?: string;
  /** Index of the top-level generator the warning comes from. */
  readonly generatorIndex?: number;
}

/** The parameter sets one generator kind of an entry produced, after its post-selector. */
export interface KindParams {
  readonly kind: GeneratorKind;
  /** The kind's spec as written (not interpolated); its `template` applies at top level. */
  readonly spec: unknown;
  readonly params: ParamSet[];
}

/** Argo decodes one nested matrix/merge; a matrix/merge below that is dropped. */
const MAX_NESTED_DEPTH = 2;

export class GenerationRun {
  private readonly warningList: ExpansionWarning[] = [];
  /** Messages seen, by generator index and field: a tag unknown in 10,000 Applications is one warning. */
  private readonly warningKeys = new Map<number, Map<string, Set<string>>>();

  constructor(
    private readonly registry: GeneratorRegistry,
    readonly sources: ExpansionSources,
  ) {}

  /** Warnings so far, each once, in the order first reported. */
  get warnings(): readonly ExpansionWarning[] {
    return this.warningList;
  }

  /** Runs every kind set on top-level entry `index` (each kind is its own result). */
  runEntry(entry: unknown, index: number): Promise<KindParams[]> {
    const location = { entryPath: `spec.generators[${index}]`, generatorIndex: index };
    const kinds = this.registry.kindsOf(entry, location);
    if (kinds.length === 0) {
      throw invalidAt(
        location,
        location.entryPath,
        'required',
        `no generator set; set one of ${GENERATOR_KINDS.join(', ')}`,
      );
    }
    return this.transform(entry as Record<string, unknown>, kinds, location, 0, null);
  }

  /** Records a warning once (a tag unknown in 10,000 Applications is one warning). */
  warn(generatorIndex: number, field: string, message: string): void {
    let fields = this.warningKeys.get(generatorIndex);
    if (!fields) this.warningKeys.set(generatorIndex, (fields = new Map()));
    let messages = fields.get(field);
    if (!messages) fields.set(field, (messages = new Set()));
    if (messages.has(message)) return;
    messages.add(message);
    this.warningList.push({ message, field, generatorIndex });
  }

  private async transform(
    entry: Record<string, unknown>,
    kinds: readonly GeneratorKind[],
    location: GeneratorLocation,
    depth: number,
    interpolation: ParamSet | null,
  ): Promise<KindParams[]> {
    // Argo filters with the selector as written: it is not interpolated.
    const filter = compilePostSelector(
      entry.selector as never,
      fieldPath(location.entryPath, 'selector'),
      location,
    );
    const results: KindParams[] = [];
    for (const kind of kinds) {
      const specPath = fieldPath(location.entryPath, kind);
      const spec = entry[kind];
      const effective =
        interpolation && Object.keys(interpolation).length > 0
          ? interpolate(spec, interpolation, specPath, location)
          : spec;
      const context = this.context(location, specPath, depth);
      const params = await this.registry.get(kind).generate(effective, context);
      results.push({ kind, spec, params: filter(params) });
    }
    return results;
  }

  private async generateChild(
    child: ChildGenerator,
    location: GeneratorLocation,
    depth: number,
    interpolation: ParamSet | null,
  ): Promise<ParamSet[]> {
    const kinds = this.registry.kindsOf(child, location);
    const fail = (message: string) => invalidAt(location, location.entryPath, 'child', message);
    if (kinds.length === 0) throw fail('child generator generated no parameters');
    if (kinds.length > 1) throw fail('found more than one generator in matrix.Generators');
    if (depth >= MAX_NESTED_DEPTH && (kinds[0] === 'matrix' || kinds[0] === 'merge')) {
      throw fail(
        'child generator generated no parameters (a matrix or merge may nest one matrix or merge, whose children must be list, clusters or git)',
      );
    }
    const [result] = await this.transform(
      child as Record<string, unknown>,
      kinds,
      location,
      depth,
      interpolation,
    );
    return result.params;
  }

  private context(location: GeneratorLocation, specPath: string, depth: number): GenerationContext {
    return {
      location,
      specPath,
      sources: this.sources,
      warn: (field, message) => this.warn(location.generatorIndex, field, message),
      invalid: (field, rule, message, problems) =>
        invalidAt(location, field, rule, message, problems),
      upstream: (field, message, cause) => upstreamAt(location, field, message, cause),
      generateChild: (child, entryPath, interpolation) =>
        this.generateChild(
          child,
          { entryPath, generatorIndex: location.generatorIndex },
          depth + 1,
          interpolation,
        ),
    };
  }
}

/**
 * A matrix's second child, rendered with a set of the first (every string
 * and map key of its spec). Tags left unknown are not warnings here: they are
 * meant for the child's own parameters.
 */
function interpolate(
  spec: unknown,
  params: ParamSet,
  specPath: string,
  location: GeneratorLocation,
): unknown {
  try {
    return renderTemplate(spec, params, specPath).value;
  } catch (error) {
    if (error instanceof TemplateRenderError) {
      throw invalidAt(location, error.field, 'template', error.reason);
    }
    throw error;
  }
}
