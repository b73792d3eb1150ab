import { stat } from 'node:fs/promises';

/** True when something exists at `file` (any kind); false on any error. */
export async function pathExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
