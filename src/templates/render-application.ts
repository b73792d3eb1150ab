/**
 * Turns a template and one parameter set into an Application, the way Argo
 * CD's `RenderTemplateParams` does (semantics.md §2, §2.4).
 */
import { Application, RESOURCES_FINALIZER } from '../argo/application.types';
import { ApplicationTemplate } from '../argo/applicationset.types';
import { RenderWarning, renderTemplate } from './render-template';
import { TemplateParams } from './template-params';

export interface RenderApplicationOptions {
  /** `spec.syncPolicy.preserveResourcesOnDeletion` of the ApplicationSet. */
  readonly preserveResourcesOnDeletion?: boolean;
}

/**
 * Renders `template` (already merged with the generator-level template)
 * against `params`.
 *
 * - An empty parameter set returns the template untouched, without the default
 *   finalizer: Argo returns before both (`if len(params) == 0 { return tmpl }`).
 * - Otherwise, when the rendered template has no finalizers and resources are
 *   not preserved on deletion, `resources-finalizer.argocd.argoproj.io` is
 *   added; any template finalizer suppresses it (TestRenderTemplateParamsFinalizers).
 * - `metadata.namespace` stays as rendered here; the expansion then replaces
 *   it with the ApplicationSet's namespace, as Argo does after rendering.
 *
 * Throws TemplateRenderError naming the field (`spec.source.path`).
 */
export function renderApplication(
  template: ApplicationTemplate,
  params: TemplateParams,
  options: RenderApplicationOptions = {},
): { application: Application; warnings: readonly RenderWarning[] } {
  if (Object.keys(params).length === 0) {
    return { application: toApplication(structuredClone(template)), warnings: [] };
  }
  const { value, warnings } = renderTemplate(
    { metadata: template.metadata ?? {}, spec: template.spec ?? {} },
    params,
  );
  const rendered = value as ApplicationTemplate;
  const finalizers = rendered.metadata.finalizers;
  if (!options.preserveResourcesOnDeletion && (!finalizers || finalizers.length === 0)) {
    rendered.metadata.finalizers = [RESOURCES_FINALIZER];
  }
  return { application: toApplication(rendered), warnings };
}

function toApplication(template: ApplicationTemplate): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: template.metadata as Application['metadata'],
    spec: template.spec,
  };
}
