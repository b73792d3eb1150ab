/**
 * Finds where JSON text stops being valid, so a malformed `.json` manifest is
 * reported by line. Node's own parser messages quote the surrounding text
 * (which may be a Secret) and give no position, hence this small scanner. It
 * only validates (RFC 8259 grammar); decoding is left to JSON.parse.
 */

/** The 0-based offset of the first syntax error, or undefined when the text is valid JSON. */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  const scanner = new JsonScanner(text);
  try {
    scanner.skipWhitespace();
    scanner.value();
    scanner.skipWhitespace();
    if (scanner.position < text.length) throw new SyntaxAt(scanner.position);
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxAt) return error.offset;
    throw error;
  }
}

/** The 1-based line of a 0-based offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonScanner {
  position = 0;

  constructor(private readonly text: string) {}

  skipWhitespace(): void {
    while (/[ \t\n\r]/.test(this.text[this.position] ?? '')) this.position++;
  }

  value(): void {
    const ch = this.text[this.position];
    if (ch === '{') return this.container('}', () => this.member());
    if (ch === '[') return this.container(']', () => this.value());
    if (ch === '"') return this.string();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.position)) {
        this.position += literal.length;
        return;
      }
    }
    this.match(NUMBER);
  }

  private container(close: string, element: () => void): void {
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === close) {
      this.position++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      element();
      this.skipWhitespace();
      const ch = this.text[this.position];
      if (ch === close) {
        this.position++;
        return;
      }
      if (ch !== ',') throw new SyntaxAt(this.position);
      this.position++;
    }
  }

  private member(): void {
    if (this.text[this.position] !== '"') throw new SyntaxAt(this.position);
    this.string();
    this.skipWhitespace();
    if (this.text[this.position] !== ':') throw new SyntaxAt(this.position);
    this.position++;
    this.skipWhitespace();
    this.value();
  }

  private string(): void {
    this.position++;
    for (;;) {
      const ch = this.text[this.position];
      if (ch === undefined || ch.charCodeAt(0) < 0x20) throw new SyntaxAt(this.position);
      if (ch === '"') break;
      if (ch === '\\') {
        const escape = this.text[this.position + 1] ?? '';
        if (
          escape === 'u' &&
          /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.position + 2, this.position + 6))
        ) {
          this.position += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(escape) || escape === '') throw new SyntaxAt(this.position + 1);
        this.position += 2;
        continue;
      }
      this.position++;
    }
    this.position++;
  }

  private match(pattern: RegExp): void {
    pattern.lastIndex = this.position;
    const found = pattern.exec(this.text);
    if (!found || found[0].length === 0) throw new SyntaxAt(this.position);
    this.position += found[0].length;
  }
}
