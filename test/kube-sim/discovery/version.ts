/**
 * `/version`: the server identifies as Kubernetes 1.32, marked as kube-sim in
 * the build metadata of `gitVersion` (a semver build tag, which version-skew
 * checks ignore).
 */
import { JsonMap } from '../api/json';

export const SERVER_VERSION: JsonMap = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0+kube-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T00:00:00Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};
