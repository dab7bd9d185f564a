/**
 * The faults a run can suffer mid-window, and the report's record of each: one instance killed
 * with SIGKILL - with simulated hosts, every instance on the last host, as a host that dies - or
 * the database restarted. Either record carries what the calls went through meanwhile (failed
 * attempts by kind, retries and how they ended, calls not sent again).
 */
import type { DatabaseRestart, Failover } from '../report/schema.js';
import type { Recorder } from './calls.js';
import type { Replica } from './router.js';

export interface Disruption {
  /** Seconds into the window. */
  at: number;
  run(): Promise<void>;
  failover(recorder: Recorder): Failover | null;
  databaseRestart(recorder: Recorder): DatabaseRestart | null;
}

const costs = (recorder: Recorder) => ({
  failedAttempts: { ...recorder.failedAttempts },
  retried: recorder.retried,
  retriedOk: recorder.retriedOk,
  notRetried: recorder.notRetried,
});

/** The last instance, or every instance on the last instance's host. */
export function victimsOf(replicas: Replica[]): { instances: number[]; host: number | null } {
  const last = replicas.at(-1)!;
  if (last.host === undefined) return { instances: [last.instance], host: null };
  return { instances: replicas.filter((r) => r.host === last.host).map((r) => r.instance), host: last.host };
}

export function killing(
  at: number,
  replicas: Replica[],
  kill: (instance: number) => Promise<number[]>,
  log: (line: string) => void,
): Disruption {
  const { instances, host } = victimsOf(replicas);
  let pids: number[] | undefined;
  return {
    at,
    async run() {
      pids = (await Promise.all(instances.map((i) => kill(i)))).flat();
      const numbered = instances.map((i) => `#${i}`).join(', ');
      const what = host === null ? `instance ${numbered}` : `host ${host} (instance ${numbered})`;
      log(`killed ${what} (pids ${pids.join(', ')}) with SIGKILL`);
    },
    failover: (recorder) =>
      pids ? { killedAtSeconds: at, instance: instances[0]!, pids, ...costs(recorder), instances, host } : null,
    databaseRestart: () => null,
  };
}

export function restarting(at: number, restart: () => Promise<number>, log: (line: string) => void): Disruption {
  let tookMs: number | undefined;
  return {
    at,
    async run() {
      log('restarting PostgreSQL (fast shutdown: open connections are cut)');
      tookMs = await restart();
      log(`PostgreSQL is back after ${tookMs} ms`);
    },
    failover: () => null,
    databaseRestart: (recorder) =>
      tookMs === undefined ? null : { restartedAtSeconds: at, tookMs, ...costs(recorder) },
  };
}
