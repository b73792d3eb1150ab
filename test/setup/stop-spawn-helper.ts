/**
 * Each test file loads its own copy of the modules, and so starts its own
 * spawn helper the first time it runs git: stop it when the file is done,
 * rather than leave one idle helper per file in the Jest worker.
 */
import { stopSpawnHelper } from '../../src/process/process-spawner';

afterAll(() => stopSpawnHelper());
