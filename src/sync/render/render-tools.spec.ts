import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { locateRenderTools } from './render-tools';

describe(locateRenderTools.name, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleetplane-tools-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const tool = async (name: string) => {
    await writeFile(path.join(dir, name), '#!/bin/sh\n');
    await chmod(path.join(dir, name), 0o755);
  };

  it('finds nothing on an empty PATH', async () => {
    expect(await locateRenderTools(dir)).toEqual({});
  });

  it('uses kubectl kustomize when there is no kustomize, and helm when present', async () => {
    await tool('kubectl');
    await tool('helm');
    expect(await locateRenderTools(`relative:${dir}`)).toEqual({
      kustomize: { command: path.join(dir, 'kubectl'), prefixArgs: ['kustomize'] },
      helm: { command: path.join(dir, 'helm'), prefixArgs: [] },
    });
  });

  it('prefers a standalone kustomize', async () => {
    await tool('kubectl');
    await tool('kustomize');
    expect((await locateRenderTools(dir)).kustomize).toEqual({
      command: path.join(dir, 'kustomize'),
      prefixArgs: ['build'],
    });
  });
});
