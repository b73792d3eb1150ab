/**
 * Renders a parsed template value (pure function): every string leaf and
 * every map key is rendered on its own (semantics.md §2: "Each string is an
 * independent template"), never the raw YAML text, so a value can never break
 * the document's structure. Non-string leaves are copied unchanged.
 */
import { fieldPath } from '../common/field-problem';
import { renderString } from './render-string';
import { TagWarning } from './tag-substitution';
import { TemplateParams } from './template-params';

/** A tag left as written, or another oddity worth showing in a preview. */
export interface RenderWarning {
  readonly message: string;
  /** Where in the template, e.g. `spec.source.path` or `metadata.labels['team/{{x}}']`. */
  readonly field: string;
}

/** A string could not be rendered: `{{a}} {{b`, unpaired block tags, a helper's bad argument. */
export class TemplateRenderError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
    this.name = 'TemplateRenderError';
  }
}

export interface Rendered<T> {
  readonly value: T;
  readonly warnings: readonly RenderWarning[];
}

/**
 * Renders `value` against `params`. Paths in warnings and errors are template
 * paths (keys as written, before rendering) below `field`. Two keys of one
 * map that render to the same key: the later wins, with a warning. Throws
 * TemplateRenderError naming the field.
 */
export function renderTemplate(
  value: unknown,
  params: TemplateParams,
  field = '',
): Rendered<unknown> {
  const warnings: RenderWarning[] = [];
  const rendered = new TemplateWalker(params, warnings).render(value, field);
  return { value: rendered, warnings };
}

class TemplateWalker {
  private readonly tagWarnings: TagWarning[] = [];

  constructor(
    private readonly params: TemplateParams,
    private readonly warnings: RenderWarning[],
  ) {}

  render(value: unknown, field: string): unknown {
    if (typeof value === 'string') return this.renderText(value, () => field);
    if (Array.isArray(value)) return value.map((item, i) => this.renderChild(item, field, i));
    if (value !== null && typeof value === 'object') return this.renderMap(value, field);
    return value;
  }

  /** Renders `parent[key]`, computing its path only when it is needed. */
  private renderChild(value: unknown, parent: string, key: string | number): unknown {
    if (typeof value === 'string') {
      return value.includes('{{') ? this.renderText(value, () => fieldPath(parent, key)) : value;
    }
    if (value !== null && typeof value === 'object')
      return this.render(value, fieldPath(parent, key));
    return value;
  }

  private renderMap(map: object, field: string): Record<string, unknown> {
    const rendered: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(map)) {
      const renderedKey = key.includes('{{')
        ? this.renderText(key, () => fieldPath(field, key))
        : key;
      const value = this.renderChild(child, field, key);
      if (Object.prototype.hasOwnProperty.call(rendered, renderedKey)) {
        this.warnings.push({
          field: fieldPath(field, key),
          message: `key renders to "${renderedKey}", as an earlier key of the same map does; this one wins`,
        });
      }
      if (renderedKey === '__proto__') {
        // Assignment would set the prototype; define it so it stays a plain key.
        Object.defineProperty(rendered, renderedKey, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        rendered[renderedKey] = value;
      }
    }
    return rendered;
  }

  private renderText(text: string, field: () => string): string {
    let rendered: string;
    try {
      rendered = renderString(text, this.params, this.tagWarnings);
    } catch (error) {
      throw new TemplateRenderError(
        field(),
        error instanceof Error ? error.message : String(error),
      );
    }
    if (this.tagWarnings.length > 0) {
      const at = field();
      for (const { tag, reason } of this.tagWarnings) {
        this.warnings.push({ field: at, message: `${tag} left as is: ${reason}` });
      }
      this.tagWarnings.length = 0;
    }
    return rendered;
  }
}
