/**
 * Pinning for the micro-benchmark: the servers under test on one CPU and this process, the load
 * generator, on another, with `taskset` (Linux), so a target's CPU per call is measured on a core
 * it has to itself. Without taskset or a second CPU nothing is pinned, and the report says why.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Pinning } from '../report/bench-schema.js';

export function planPinning(wanted: boolean): Pinning {
  if (!wanted) return { pinned: false, reason: 'not asked for (--no-pin)' };
  if (spawnSync('taskset', ['-V']).error) return { pinned: false, reason: 'taskset is not installed' };
  const allowed = allowedCpus();
  if (allowed.length < 2) return { pinned: false, reason: `only ${allowed.length} CPU is available to this process` };
  return { pinned: true, serverCpu: allowed[0]!, loadCpu: allowed[1]! };
}

/** Moves every thread of a running process (this one: the load generator) onto one CPU. */
export function pinProcess(pid: number, cpu: number): void {
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset could not pin pid ${pid} to cpu${cpu}: ${result.stderr.trim()}`);
}

/** The CPUs this process may run on, from Cpus_allowed_list; none where /proc is missing. */
function allowedCpus(): number[] {
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return [];
  }
  const list = /^Cpus_allowed_list:\s*(.+)$/m.exec(status)?.[1] ?? '';
  return list.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return from !== undefined && Number.isInteger(from) && Number.isInteger(to)
      ? Array.from({ length: to! - from + 1 }, (_, i) => from + i)
      : [];
  });
}
