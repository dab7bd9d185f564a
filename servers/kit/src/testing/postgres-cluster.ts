/**
 * A PostgreSQL server of our own, for tests and benchmark runs: Debian's server binaries, a new
 * cluster in a temporary directory, a free loopback port, started as the unprivileged `postgres`
 * user when we are root (the server refuses to run as root). `stop()` removes every trace; the
 * system's own PostgreSQL service, if any, is never touched.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  dir: string;
  /** Stops the server (fast shutdown: open connections are cut) and starts it again on the same port. */
  restart(): void;
  /**
   * The same two halves without blocking this process, so its clients can call while the
   * database is away: `down()` resolves once the server has stopped, `up()` once it accepts
   * connections again on the same port.
   */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): void;
}

export interface PostgresClusterOptions {
  /** Durable writes (fsync) as a real deployment has them; off for tests, which only need speed. */
  durable?: boolean;
  /** Listen on this address instead of 127.0.0.1 (a network namespace's bridge address). */
  host?: string;
  port?: number;
  /** Prefix for commands (e.g. `ip netns exec <ns>`), to run the server inside a namespace. */
  wrap?: string[];
  maxConnections?: number;
}

/** The directory of Debian's (or any) PostgreSQL server binaries, or undefined when not installed. */
export function findPostgresBinaries(): string | undefined {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  try {
    const bindir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(bindir, 'initdb'))) return bindir;
  } catch {
    // no pg_config on PATH
  }
  return undefined;
}

export const POSTGRES_INSTALL_HINT =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found: install them (Debian: apt-get install postgresql) ' +
  'or pass a running server with --database-url';

export async function startPostgresCluster(options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBinaries();
  if (!bin) throw new Error(POSTGRES_INSTALL_HINT);
  const dir = mkdtempSync(join(tmpdir(), 'sessionless-pg-'));
  const asRoot = userInfo().uid === 0;
  const argv = (command: string, args: string[]) => [
    ...(options.wrap ?? []),
    ...(asRoot ? ['runuser', '-u', 'postgres', '--'] : []),
    command,
    ...args,
  ];
  const failed = (command: string, args: string[], output: string) =>
    new Error(`${command} ${args.join(' ')} failed: ${output.trim().slice(-800)}`);
  const run = (command: string, args: string[]) => {
    const [file, ...rest] = argv(command, args);
    const result = spawnSync(file!, rest, { encoding: 'utf8' });
    if (result.status !== 0) throw failed(command, args, result.stderr || result.stdout || '');
  };
  const runAsync = (command: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [file, ...rest] = argv(command, args);
      const child = spawn(file!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve() : reject(failed(command, args, output))));
    });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const data = join(dir, 'data');
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=${host}`,
    `-c max_connections=${options.maxConnections ?? 200}`,
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ].join(' ');
  const startArgs = ['-D', data, '-o', settings, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'];
  const stopArgs = ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'];
  const start = () => run(join(bin, 'pg_ctl'), startArgs);
  const stop = () => run(join(bin, 'pg_ctl'), stopArgs);
  try {
    run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@${host.includes(':') ? `[${host}]` : host}:${port}/postgres`,
    port,
    dir,
    restart() {
      stop();
      start();
    },
    down: () => runAsync(join(bin, 'pg_ctl'), stopArgs),
    up: () => runAsync(join(bin, 'pg_ctl'), startArgs),
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        // A test may end with the server down (`down()` without `up()`): nothing to stop then.
        if (existsSync(join(data, 'postmaster.pid'))) stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
