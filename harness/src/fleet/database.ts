/**
 * The PostgreSQL a run keeps its servers' state in: one of its own (the kit's throwaway cluster:
 * Debian's binaries, durable, a temporary directory, run as the `postgres` user when we are root),
 * on loopback or inside the run's database namespace listening only on its bridge address; or one
 * given with --database-url, used as it is. Restarting it mid-run does not block the load generator.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { findPostgresBinaries, POSTGRES_INSTALL_HINT, startPostgresCluster } from '@sessionless/kit/testing';
import { UsageError } from '../shared/errors.js';

export interface Database {
  /** What the servers get as DATABASE_URL. */
  url: string;
  /** "PostgreSQL 15.14", or null for a server we did not start. */
  version: string | null;
  /** The postmaster's pid (its backends are its children), for CPU; none for a server we did not start. */
  pids(): number[];
  /** Fast shutdown (open connections are cut) and start again; resolves with how long it took. */
  restart(): Promise<number>;
  stop(): void;
}

/** Inside a namespace: listen on this address only, and let the run's subnet in. */
export interface DatabasePlace {
  host: string;
  wrap: string[];
  subnet: string;
}

/** Enough for K instances of three servers with their pools (DATABASE_POOL_SIZE, default 10), and the ceiling. */
const MAX_CONNECTIONS = 400;
const NAMESPACE_PORT = 5432;

export async function startDatabase(log: (line: string) => void, place?: DatabasePlace): Promise<Database> {
  const bin = findPostgresBinaries();
  if (!bin) throw new UsageError(POSTGRES_INSTALL_HINT);
  const cluster = await startPostgresCluster({
    durable: true,
    maxConnections: MAX_CONNECTIONS,
    ...(place ? { host: place.host, port: NAMESPACE_PORT, wrap: place.wrap } : {}),
  }).catch((error: unknown) => {
    throw new UsageError(`PostgreSQL for the run did not start: ${(error as Error).message}`);
  });
  const data = join(cluster.dir, 'data');
  const pgCtl = (args: string[]) => {
    const asPostgres = userInfo().uid === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
    return [...(place?.wrap ?? []), ...asPostgres, join(bin, 'pg_ctl'), '-D', data, ...args];
  };
  try {
    if (place) {
      // initdb trusts loopback only; the instances connect from their own namespaces.
      appendFileSync(join(data, 'pg_hba.conf'), `host all all ${place.subnet} trust\n`);
      const [command, ...args] = pgCtl(['reload']);
      const reloaded = spawnSync(command!, args, { encoding: 'utf8' });
      if (reloaded.status !== 0) throw new Error(`pg_ctl reload failed: ${reloaded.stderr.trim()}`);
    }
  } catch (error) {
    cluster.stop();
    throw error;
  }
  const version = versionOf(bin);
  log(
    `${version ?? 'PostgreSQL'} for the run at ${cluster.url}${place ? ' (its own namespace)' : ''}, in ${cluster.dir}`,
  );
  return {
    url: cluster.url,
    version,
    pids: () => postmasterPid(data),
    restart: async () => {
      const started = performance.now();
      const [command, ...args] = pgCtl([
        '-m',
        'fast',
        '-w',
        '-t',
        '60',
        '-l',
        join(cluster.dir, 'server.log'),
        'restart',
      ]);
      const child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      if (code !== 0) throw new Error(`pg_ctl restart failed (exit ${code}): ${stderr.trim().slice(-300)}`);
      return Math.round(performance.now() - started);
    },
    stop: () => cluster.stop(),
  };
}

/** A server someone else runs: the harness neither restarts nor stops it. */
export function givenDatabase(url: string): Database {
  return {
    url,
    version: null,
    pids: () => [],
    restart: () => Promise.reject(new UsageError('a database given with --database-url is not restarted')),
    stop: () => {},
  };
}

function postmasterPid(data: string): number[] {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return pid > 0 ? [pid] : [];
  } catch {
    return []; // restarting
  }
}

function versionOf(bin: string): string | null {
  const result = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' });
  const version = /\(PostgreSQL\) (\S+)/.exec(result.stdout ?? '')?.[1];
  return version ? `PostgreSQL ${version}` : null;
}
