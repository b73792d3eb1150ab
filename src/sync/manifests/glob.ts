/**
 * The glob dialect of a directory source's `include` and `exclude`: Argo CD
 * matches them with github.com/gobwas/glob compiled without separators
 * (util/glob/glob.go), so
 * - `*` and `**` match any run of characters, `/` included (`*.yaml` also
 *   matches `sub/app.yaml`);
 * - `?` matches one character; `[abc]`, `[a-z]`, `[!abc]` match one of a set;
 * - `{a,b}` matches any of the alternatives, which may hold wildcards and nest;
 * - `\` makes the next character literal.
 * The whole relative path must match. Deliberate difference: Argo logs a
 * malformed pattern and treats it as matching nothing; here it is an error.
 */

/** A compiled pattern, or why it could not be compiled. */
export type CompiledGlob = { readonly regex: RegExp } | { readonly error: string };

/** Compiles a glob to an anchored regular expression (pure function). */
export function compileGlob(pattern: string): CompiledGlob {
  const parser = new GlobParser(pattern);
  try {
    const source = parser.parseSequence(false);
    return { regex: new RegExp(`^${source}$`, 's') };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** True when `path` matches a compiled glob. */
export function globMatches(glob: { readonly regex: RegExp }, path: string): boolean {
  return glob.regex.test(path);
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;

function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

class GlobParser {
  private position = 0;

  constructor(private readonly pattern: string) {}

  /** Parses until the end, or (inside braces) until an unnested `,` or `}`. */
  parseSequence(insideBraces: boolean): string {
    let out = '';
    while (this.position < this.pattern.length) {
      const ch = this.pattern[this.position];
      if (insideBraces && (ch === ',' || ch === '}')) return out;
      this.position++;
      switch (ch) {
        case '*':
          while (this.pattern[this.position] === '*') this.position++;
          out += '.*';
          break;
        case '?':
          out += '.';
          break;
        case '[':
          out += this.parseClass();
          break;
        case '{':
          out += this.parseAlternatives();
          break;
        case '\\':
          if (this.position >= this.pattern.length)
            throw new Error('the pattern ends with an escape character');
          out += escapeRegex(this.pattern[this.position++]);
          break;
        default:
          out += escapeRegex(ch);
      }
    }
    if (insideBraces) throw new Error("a '{' is not closed by '}'");
    return out;
  }

  private parseAlternatives(): string {
    const alternatives: string[] = [];
    for (;;) {
      alternatives.push(this.parseSequence(true));
      const ch = this.pattern[this.position++];
      if (ch === '}') return `(?:${alternatives.join('|')})`;
      // parseSequence(true) stops only at ',' or '}', or throws at the end.
    }
  }

  private parseClass(): string {
    const start = this.position - 1;
    let negated = false;
    if (this.pattern[this.position] === '!') {
      negated = true;
      this.position++;
    }
    let members = '';
    let count = 0;
    while (this.position < this.pattern.length && this.pattern[this.position] !== ']') {
      const low = this.pattern[this.position++];
      if (
        this.pattern[this.position] === '-' &&
        this.pattern[this.position + 1] !== undefined &&
        this.pattern[this.position + 1] !== ']'
      ) {
        const high = this.pattern[this.position + 1];
        this.position += 2;
        if (high < low)
          throw new Error(`the range '${low}-${high}' at position ${start} is reversed`);
        members += `${escapeRegex(low)}-${escapeRegex(high)}`;
      } else {
        members += escapeRegex(low);
      }
      count++;
    }
    if (this.position >= this.pattern.length)
      throw new Error(`the '[' at position ${start} is not closed by ']'`);
    this.position++;
    if (count === 0) throw new Error(`the character class at position ${start} is empty`);
    return `[${negated ? '^' : ''}${members}]`;
  }
}
