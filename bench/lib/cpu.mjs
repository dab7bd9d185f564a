/**
 * CPU and memory accounting from /proc (Linux): jiffies of the whole box and of one process,
 * a process's memory, the CPUs this process may run on, and waiting for a quiet machine before a
 * measured run (other load skews every number).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Jiffies of the whole box from /proc/stat: `total` (wall time summed over CPUs, steal included),
 * `busy` (run by this VM: user, nice, system, irq, softirq; guest time is already inside user)
 * and `steal` (wanted to run but the hypervisor ran someone else), over `cpus` CPUs.
 */
export function boxCpu() {
  const text = readFileSync('/proc/stat', 'utf8');
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = text
    .slice(0, text.indexOf('\n'))
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq;
  return { total: busy + idle + iowait + steal, busy, steal, cpus: (text.match(/^cpu\d+ /gm) ?? []).length || 1 };
}

/** Jiffies per second for /proc/<pid>/stat times (USER_HZ; 100 on every common Linux). */
export const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** utime + stime of one process, in jiffies (0 once the process is gone). */
export function processCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** A memory figure of a process from /proc/<pid>/status in MB: VmHWM (peak RSS) or VmRSS (now). */
export function memoryMb(pid, field = 'VmHWM') {
  try {
    const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** The CPU numbers this process may run on, from Cpus_allowed_list. */
export function allowedCpus() {
  const line = readFileSync('/proc/self/status', 'utf8').match(/^Cpus_allowed_list:\s*(.+)$/m)?.[1] ?? '';
  return line.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return Number.isInteger(from) ? Array.from({ length: to - from + 1 }, (_, i) => from + i) : [];
  });
}

/**
 * Samples the box once a second until `isQuiet(busy)` has held for `quietSeconds` samples in a
 * row, or `maxWaitMs` has passed (`busy` is in % of one core). `onBusy` is called once, on the
 * first busy sample that makes it wait. Resolves to the last sample and whether it was quiet.
 */
export async function waitForQuiet({ isQuiet, quietSeconds = 1, maxWaitMs, onBusy }) {
  const started = Date.now();
  let warned = false;
  let quietFor = 0;
  for (;;) {
    const a = boxCpu();
    await sleep(1_000);
    const b = boxCpu();
    const busy = (100 * (b.busy - a.busy)) / Math.max(1, (b.total - a.total) / b.cpus);
    quietFor = isQuiet(busy) ? quietFor + 1 : 0;
    if (quietFor >= quietSeconds) return { busy, quiet: true };
    if (Date.now() - started > maxWaitMs) return { busy, quiet: false };
    if (!warned && quietFor === 0) onBusy?.(busy);
    warned ||= quietFor === 0;
  }
}
