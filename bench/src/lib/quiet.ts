/**
 * Waiting for a quiet machine before a measured phase (other load skews every number): the whole
 * machine's busy time from /proc/stat, sampled once a second, in % of one core.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Samples the machine once a second until it has been under `maxBusyPct` of a core for
 * `quietSeconds` samples in a row, or `maxWaitMs` has passed. Resolves to the last sample.
 */
export async function waitForQuiet(options: {
  maxBusyPct: number;
  quietSeconds?: number;
  maxWaitMs: number;
}): Promise<{ busy: number; quiet: boolean }> {
  const started = Date.now();
  let quietFor = 0;
  for (;;) {
    const a = machineJiffies();
    await sleep(1_000);
    const b = machineJiffies();
    const busy = (100 * (b.busy - a.busy)) / Math.max(1, (b.total - a.total) / b.cpus);
    quietFor = busy <= options.maxBusyPct ? quietFor + 1 : 0;
    if (quietFor >= (options.quietSeconds ?? 1)) return { busy, quiet: true };
    if (Date.now() - started > options.maxWaitMs) return { busy, quiet: false };
  }
}

/** Busy (user, nice, system, irq, softirq) and total jiffies of the machine, over its CPUs. */
function machineJiffies(): { busy: number; total: number; cpus: number } {
  const text = readFileSync('/proc/stat', 'utf8');
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = text
    .slice(0, text.indexOf('\n'))
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq;
  return { busy, total: busy + idle + iowait + steal, cpus: (text.match(/^cpu\d+ /gm) ?? []).length || 1 };
}
