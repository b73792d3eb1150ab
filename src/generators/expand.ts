/**
 * The ApplicationSet expansion engine: generators → post-selectors →
 * templates → Applications, deterministic for equal input (and equal port
 * answers). Any generator or render problem throws a GenerationError and
 * nothing is produced: a failed expansion must change nothing (semantics.md
 * Part A §0, §3). Validating the generated Applications (names, destinations,
 * duplicates) is left to `src/applicationsets/validation`.
 */
import { Application } from '../argo/application.types';
import { ApplicationSet, ApplicationTemplate } from '../argo/applicationset.types';
import { DomainErrorCode } from '../common/domain-error';
import { fieldPath } from '../common/field-problem';
import {
  TemplateRenderError,
  mergeGeneratorTemplate,
  renderApplication,
  suppliedFieldPaths,
} from '../templates';
import { ExpansionPorts, ExpansionSources, ResolvedRevision } from './expansion-sources';
import { ParamSet, minRequeue } from './generator';
import { GenerationError, invalidAt } from './generation-error';
import { ExpansionWarning, GenerationRun, KindParams } from './generation-run';
import { GeneratorRegistry } from './registry';

/** One generated Application and the parameter set it was rendered from. */
export interface ExpandedApplication {
  readonly application: Application;
  /** Flat keys to strings; `elementsYaml` items and `flatList` keep JSON values. */
  readonly params: ParamSet;
}

export interface Expansion {
  /** In generator order, then kind order within an entry, then parameter order. */
  readonly applications: readonly ExpandedApplication[];
  readonly warnings: readonly ExpansionWarning[];
  /** Seconds until the next periodic evaluation (the smallest non-zero generator requeue), or null. */
  readonly requeueAfterSeconds: number | null;
  /** Each Git (repoURL, revision) resolved, once, in first-resolution order. */
  readonly gitRevisions: readonly ResolvedRevision[];
}

const defaultRegistry = new GeneratorRegistry();

/**
 * Expands `appSet` (structurally valid, flat mode) into Applications. Reads
 * clusters and Git through `ports`, each answer once per expansion. Throws
 * GenerationError: `Invalid` for spec and render problems, `Upstream` for
 * port failures; both name the generator path and index.
 */
export async function expandApplicationSet(
  appSet: ApplicationSet,
  ports: ExpansionPorts,
  registry: GeneratorRegistry = defaultRegistry,
): Promise<Expansion> {
  const { spec } = appSet;
  rejectUnsupported(spec);
  const run = new GenerationRun(registry, new ExpansionSources(ports));
  const applications: ExpandedApplication[] = [];
  for (const [index, entry] of spec.generators.entries()) {
    for (const result of await run.runEntry(entry, index)) {
      applications.push(...renderKind(result, index, appSet, run));
    }
  }
  return {
    applications,
    warnings: run.warnings,
    requeueAfterSeconds: minRequeue(
      spec.generators.map((entry) => registry.requeueAfterSeconds(entry)),
    ),
    gitRevisions: [...run.sources.gitRevisions],
  };
}

function rejectUnsupported(spec: ApplicationSet['spec']): void {
  const refuse = (field: string, message: string): GenerationError =>
    new GenerationError(DomainErrorCode.Invalid, `${field}: ${message}`, null, null, [
      { field, rule: 'unsupported', message },
    ]);
  if (spec.goTemplate === true) {
    throw refuse(
      'spec.goTemplate',
      'goTemplate: true is not supported yet; remove it to use the default renderer',
    );
  }
  if (
    spec.templatePatch !== undefined &&
    spec.templatePatch !== null &&
    spec.templatePatch !== ''
  ) {
    throw refuse('spec.templatePatch', 'templatePatch is not supported yet');
  }
  if (!Array.isArray(spec.generators))
    throw refuse('spec.generators', 'must be a list of generators');
  if (typeof spec.template !== 'object' || spec.template === null) {
    throw refuse('spec.template', 'must be an Application template');
  }
}

/** Renders one kind's parameter sets with its merged template (§2.4). */
function renderKind(
  result: KindParams,
  index: number,
  appSet: ApplicationSet,
  run: GenerationRun,
): ExpandedApplication[] {
  const generatorTemplate = (result.spec as { template?: ApplicationTemplate }).template;
  const template = mergeGeneratorTemplate(generatorTemplate, appSet.spec.template);
  const location = { entryPath: `spec.generators[${index}]`, generatorIndex: index };
  const fromGenerator = suppliedFieldPaths(generatorTemplate);
  const templateField = fieldPath(fieldPath(location.entryPath, result.kind), 'template');
  // Name the template a field came from: the generator's when it supplied it.
  const origins = new Map<string, string>();
  const origin = (field: string): string => {
    let path = origins.get(field);
    if (path === undefined) {
      path = `${fromGenerator.has(field) ? templateField : 'spec.template'}.${field}`;
      origins.set(field, path);
    }
    return path;
  };
  const options = {
    preserveResourcesOnDeletion: appSet.spec.syncPolicy?.preserveResourcesOnDeletion === true,
  };
  return result.params.map((params) => {
    try {
      const { application, warnings } = renderApplication(template, params, options);
      warnings.forEach((w) => run.warn(index, origin(w.field), w.message));
      return { application: inNamespace(application, appSet.metadata.namespace), params };
    } catch (error) {
      if (error instanceof TemplateRenderError) {
        throw invalidAt(location, origin(error.field), 'template', error.reason);
      }
      throw error;
    }
  });
}

/**
 * Argo CD overwrites `metadata.namespace` of every generated Application with
 * the ApplicationSet's namespace, whatever the template says (semantics.md
 * §2.4); the document validator warns about a template namespace for that
 * reason. Without an ApplicationSet namespace the Application has none.
 * `application` was just rendered (fresh objects), so it is changed in place.
 */
function inNamespace(application: Application, namespace: string | undefined): Application {
  if (namespace) application.metadata.namespace = namespace;
  else delete application.metadata.namespace;
  return application;
}
