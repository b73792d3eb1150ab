#!/usr/bin/env node
/*
 * A stand-in for `helm template` in specs on machines without Helm (this one
 * has none): it checks the arguments Fleetplane passes (release, chart
 * directory, namespace, --values files in order) and prints one ConfigMap
 * per value file holding that file's text, so a spec can prove which files
 * reached Helm and from which repository. It renders no chart templates:
 * what Helm itself does with values is Helm's business, not Fleetplane's.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
if (args[0] !== 'template') {
  process.stderr.write(`stand-in helm: expected "template", got ${JSON.stringify(args[0])}\n`);
  process.exit(2);
}
const [, release, chartDir] = args;
if (!existsSync(path.join(chartDir, 'Chart.yaml'))) {
  process.stderr.write(`Error: Chart.yaml file is missing in ${chartDir}\n`);
  process.exit(1);
}
const values = [];
for (let i = 3; i < args.length; i++) {
  if (args[i] === '--values') values.push(args[++i]);
}
const docs = values.map((file, index) => {
  const text = readFileSync(file, 'utf8');
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${release}-values-${index}`,
    'data:',
    `  file: ${JSON.stringify(path.basename(file))}`,
    `  text: ${JSON.stringify(text)}`,
  ].join('\n');
});
process.stdout.write(docs.map((doc) => `---\n${doc}\n`).join(''));
