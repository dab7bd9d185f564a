/**
 * One measured run: set the workload up, let its virtual agents work through a warm-up (not
 * recorded), then record a window of `seconds`, optionally disrupting it part-way through (an
 * instance killed, the database restarted), then let the calls in flight finish, check the invariants and clean up. Closed loop:
 * each agent starts its next call when the last one ends. Open loop: calls start on a fixed
 * schedule whatever the servers do, and each call's latency counts from when it was due, so a
 * slow server cannot hide its queue (no coordinated omission).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Invariant } from '../report/schema.js';
import type { Workload } from '../workloads/workload.js';
import type { Recorder } from './calls.js';
import { CpuWatch, type CpuFigures } from './cpu.js';

export type Load = { mode: 'closed' } | { mode: 'open'; rate: number };

export interface DriveOptions {
  workload: Workload;
  recorder: Recorder;
  load: Load;
  warmupSeconds: number;
  seconds: number;
  /** Root pids per group ("servers", "balancer"), read when sampling (an instance may be killed). */
  cpuGroups: Record<string, () => number[]>;
  /** Seconds into the window at which to run `disrupt`. */
  disruptAt?: number;
  disrupt?: () => Promise<void>;
  /** Called when the window opens and when it closes (scrape /metrics there). */
  onWindow?: (edge: 'open' | 'close') => Promise<void>;
}

export interface Driven {
  cpu: CpuFigures;
  windowSeconds: number;
  invariants: Invariant[];
  /** Open loop only: calls the schedule wanted but the generator could not start in time. */
  behind: number;
}

/** Most calls an open-loop run keeps in flight before it counts the rest as "behind". */
const MAX_IN_FLIGHT = 2_000;

export async function drive(options: DriveOptions): Promise<Driven> {
  const { workload, recorder } = options;
  const cpu = new CpuWatch(options.cpuGroups);
  let stopping = false;
  let behind = 0;
  const inFlight = new Set<Promise<void>>();
  // A step that throws is the harness failing, not the server: counted as such, never fatal.
  const step = (n: number, due?: number): Promise<boolean> =>
    workload.step(n, due).then(
      () => false,
      (error: unknown) => {
        recorder.harnessError(error instanceof Error ? error.message : String(error));
        return true;
      },
    );
  const track = (call: Promise<boolean>) => {
    const tracked: Promise<void> = call.then(() => void inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  let workers: Promise<void>[] = [];
  let ticker: Promise<void> | undefined;
  const start = () => {
    if (options.load.mode === 'closed') {
      workers = Array.from({ length: workload.agentCount }, async (_, n) => {
        while (!stopping) {
          if (await step(n)) await sleep(50);
        }
      });
      return;
    }
    const interval = 1000 / options.load.rate;
    ticker = (async () => {
      const start = performance.now();
      for (let i = 0; !stopping; i++) {
        const due = start + i * interval;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        if (inFlight.size >= MAX_IN_FLIGHT) {
          if (recorder.recording) behind += 1;
          continue;
        }
        track(step(i % workload.agentCount, due));
      }
    })();
  };

  let windowSeconds = 0;
  let failure: unknown;
  try {
    await workload.setup();
    start();
    await sleep(options.warmupSeconds * 1000);
    await options.onWindow?.('open');
    recorder.recording = true;
    cpu.start();
    const opened = performance.now();
    if (options.disruptAt !== undefined && options.disrupt) {
      await sleep(options.disruptAt * 1000);
      cpu.sample();
      // The window goes on while the disruption runs (a database restart takes a while).
      const disrupted = options.disrupt().then(
        () => null,
        (error: unknown) => error,
      );
      await sleep(Math.max(0, options.seconds - options.disruptAt) * 1000);
      const failed = await disrupted;
      if (failed) throw failed;
    } else {
      await sleep(options.seconds * 1000);
    }
    recorder.recording = false;
    windowSeconds = (performance.now() - opened) / 1000;
    const figures = cpu.stop();
    await options.onWindow?.('close');
    stopping = true;
    await Promise.all([...workers, ticker, ...inFlight]);
    return { cpu: figures, windowSeconds, invariants: await verified(workload), behind };
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    stopping = true;
    recorder.recording = false;
    if (failure) await Promise.allSettled([...workers, ticker, ...inFlight]);
    await workload.teardown();
  }
}

/** A check that could not be made (the servers stopped answering) is a broken invariant, not a crash. */
async function verified(workload: Workload): Promise<Invariant[]> {
  try {
    return await workload.verify();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return [{ name: 'the invariants could be checked', ok: false, detail: detail.slice(0, 300) }];
  }
}
