/* eslint-disable @typescript-eslint/no-require-imports -- a require hook is CommonJS by nature (node --require) */
/**
 * A CommonJS require hook that compiles TypeScript with swc, using the
 * project's `.swcrc`, so end-to-end specs can run the real entry point
 * (`src/main.ts`) as a child process without a build step:
 *   node --require ./test/support/register-ts.js src/main.ts
 */
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..');
const swcOptions = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    ...swcOptions,
    swcrc: false,
    filename,
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
