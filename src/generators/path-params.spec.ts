import { directoryPathParams, filePathParams, goPathBase, goPathDir } from './path-params';

describe('path params', () => {
  it.each<[string, string, string]>([
    ['a/b/c.json', 'a/b', 'c.json'],
    ['c.json', '.', 'c.json'],
  ])('goPathDir/goPathBase(%j)', (path, dir, base) => {
    expect([goPathDir(path), goPathBase(path)]).toEqual([dir, base]);
  });

  it('directoryPathParams with a prefix', () => {
    expect(Object.fromEntries(directoryPathParams('apps/My_App', 'p'))).toEqual({
      'p.path': 'apps/My_App',
      'p.path.basename': 'My_App',
      'p.path.basenameNormalized': 'my-app',
      'p.path[0]': 'apps',
      'p.path[1]': 'My_App',
    });
  });

  it('filePathParams of a root file', () => {
    expect(Object.fromEntries(filePathParams('file_name.yaml'))).toEqual({
      path: '.',
      'path.basename': '.',
      'path.filename': 'file_name.yaml',
      'path.basenameNormalized': '',
      'path.filenameNormalized': 'file-name.yaml',
      'path[0]': '.',
    });
  });
});
