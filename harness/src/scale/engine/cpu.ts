/**
 * CPU accounting for a measured window, from /proc (Linux): the servers' processes with every
 * descendant (a browser server's Chromium), the balancer's, this load generator's and the whole
 * machine's, each in % of one core over the window. Samples every half second and just before
 * a kill, so a process killed mid-window (failover) counts what it used until it died, and one
 * born mid-window (a Chromium renderer) counts from zero. Elsewhere the figures are null.
 */
import { readdirSync, readFileSync } from 'node:fs';

const SAMPLE_MS = 500;
const USER_HZ = 100;

export interface CpuFigures {
  /** % of one core per group of root pids (and their descendants). */
  groups: Record<string, number | null>;
  /** CPU seconds per group, for "ms per call". */
  seconds: Record<string, number | null>;
  loadGeneratorPct: number;
  machinePct: number | null;
}

export class CpuWatch {
  private readonly base = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly members = new Map<string, Set<number>>();
  private timer?: NodeJS.Timeout;
  private startedAt = 0;
  private self0 = process.cpuUsage();
  private machine0: { busy: number; total: number; cpus: number } | null = null;
  private readonly supported = readable('/proc/stat');

  constructor(private readonly groups: Record<string, () => number[]>) {}

  start(): void {
    this.startedAt = performance.now();
    this.self0 = process.cpuUsage();
    if (!this.supported) return;
    this.machine0 = machineJiffies();
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), SAMPLE_MS);
  }

  /** Takes a sample now: call it just before killing a process. */
  sample(first = false): void {
    const tree = childrenByParent();
    for (const [group, roots] of Object.entries(this.groups)) {
      const set = this.members.get(group) ?? new Set<number>();
      this.members.set(group, set);
      for (const pid of withDescendants(roots(), tree)) {
        const jiffies = processJiffies(pid);
        if (jiffies === null) continue;
        set.add(pid);
        if (!this.base.has(pid)) this.base.set(pid, first ? jiffies : 0);
        this.last.set(pid, jiffies);
      }
    }
  }

  stop(): CpuFigures {
    clearInterval(this.timer);
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const self = process.cpuUsage(this.self0);
    const loadGeneratorPct = (100 * (self.user + self.system)) / 1e6 / wallSeconds;
    if (!this.supported || !this.machine0) {
      const none = Object.fromEntries(Object.keys(this.groups).map((g) => [g, null]));
      return { groups: none, seconds: none, loadGeneratorPct, machinePct: null };
    }
    this.sample(false);
    const machine1 = machineJiffies();
    const wallJiffies = Math.max(1, (machine1.total - this.machine0.total) / machine1.cpus);
    const seconds: Record<string, number> = {};
    const groups: Record<string, number> = {};
    for (const group of Object.keys(this.groups)) {
      let used = 0;
      for (const pid of this.members.get(group) ?? []) used += (this.last.get(pid) ?? 0) - (this.base.get(pid) ?? 0);
      seconds[group] = used / USER_HZ;
      groups[group] = (100 * used) / wallJiffies;
    }
    return {
      groups,
      seconds,
      loadGeneratorPct,
      machinePct: (100 * (machine1.busy - this.machine0.busy)) / wallJiffies,
    };
  }
}

function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Busy (user, nice, system, irq, softirq) and total jiffies of the machine, from /proc/stat. */
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

/** utime + stime of one process in jiffies; null once it is gone. */
function processJiffies(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function childrenByParent(): Map<number, number[]> {
  const tree = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      tree.set(parent, [...(tree.get(parent) ?? []), Number(name)]);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return tree;
}

function withDescendants(roots: number[], tree: Map<number, number[]>): number[] {
  const all: number[] = [];
  const queue = [...roots];
  while (queue.length) {
    const pid = queue.pop()!;
    all.push(pid);
    queue.push(...(tree.get(pid) ?? []));
  }
  return all;
}
