/**
 * The template renderer: Argo CD flat-mode rendering (semantics.md §2.1) with
 * an allowlist of Handlebars helpers and blocks on top, and Argo's template
 * assembly (§2.4). Rules in docs/templates.md.
 *
 * - `renderTemplate(value, params)` renders every string leaf and map key.
 * - `renderApplication(template, params, options)` adds Argo's defaults.
 * - `mergeGeneratorTemplate(generatorTemplate, specTemplate)` is mergo's fill-empty merge.
 */
export { compareBytewise } from './byte-order';
export { formatGoFloat, formatGoValue } from './go-format';
export { normalize } from './normalize';
export type { TemplateParams } from './template-params';
export { hasParam, paramValue } from './template-params';
export type { RenderWarning, Rendered } from './render-template';
export { TemplateRenderError, renderTemplate } from './render-template';
export type { RenderApplicationOptions } from './render-application';
export { renderApplication } from './render-application';
export { mergeGeneratorTemplate, suppliedFieldPaths } from './template-merge';
