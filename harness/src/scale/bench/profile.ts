/**
 * Where a call's CPU goes: a V8 CPU profile of a bench target (`bench --profile DIR` runs each
 * with `--cpu-prof`) split into the parts of serving a call. Each sample's time goes to the part
 * of the innermost frame that names one: a native or built-in frame (JSON, crypto, a syscall)
 * counts for the JavaScript that called it, so `JSON.parse` of a body counts as HTTP and the
 * SQLite step as the store. Garbage collection is its own part; V8's own time outside JavaScript
 * (`(program)`) is `other`. Shares are of the busy (not idle) time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PROFILE_PARTS = [
  'HTTP',
  'web streams',
  'SDK dispatch',
  'validation',
  'auth',
  'store',
  'metrics',
  'tool',
  'kit',
  'GC',
  'other',
] as const;
export type ProfilePart = (typeof PROFILE_PARTS)[number];

export interface ProfileSplit {
  /** The profile file read. */
  file: string;
  /** Busy milliseconds sampled (idle excluded). */
  busyMs: number;
  /** Percent of the busy time per part, summing to 100. */
  shares: Record<ProfilePart, number>;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The part a frame's code belongs to, or undefined when it is native code or a built-in. */
export function partOf(url: string): ProfilePart | undefined {
  if (!url) return undefined;
  if (/\/node_modules\/zod\//.test(url)) return 'validation';
  if (/\/node_modules\/@modelcontextprotocol\//.test(url)) return 'SDK dispatch';
  if (/\/node_modules\/(jose)\/|\/servers\/kit\/(src|dist)\/auth\./.test(url)) return 'auth';
  if (/\/node_modules\/(prom-client|bintrees|tdigest)\/|\/servers\/kit\/(src|dist)\/metrics\./.test(url))
    return 'metrics';
  if (
    /\/node_modules\/(better-sqlite3|bindings|pg|pg-[a-z-]+|pgpass)\//.test(url) ||
    /\/servers\/kit\/(src|dist)\/(sqlite|postgres|statement|store|[a-z-]*handle-store|handles)[.-]/.test(url) ||
    /\/servers\/[a-z-]+\/(src|dist)\/domain\/[a-z-]*(store|rows|schema)\./.test(url)
  )
    return 'store';
  if (/\/servers\/kit\/(src|dist)\//.test(url)) return 'kit';
  if (/\/servers\/[a-z-]+\/(src|dist)\/(tools|domain)\//.test(url)) return 'tool';
  if (/^node:internal\/(webstreams|deps\/undici|abort_controller|event_target|blob|url)|^node:url/.test(url))
    return 'web streams';
  if (
    /^node:(_http_|http|net|internal\/(http|stream_base|streams|net|dns))|^node:internal\/(timers|process\/task_queues)/.test(
      url,
    )
  )
    return 'HTTP';
  return 'other';
}

/** The split of one profile. */
export function splitProfile(file: string): ProfileSplit {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  // Each node's part, found once: its own, or its nearest ancestor's that has one.
  const parts = new Map<number, ProfilePart | 'idle'>();
  const resolve = (id: number): ProfilePart | 'idle' => {
    const known = parts.get(id);
    if (known) return known;
    const node = nodes.get(id)!;
    const name = node.callFrame.functionName;
    let part: ProfilePart | 'idle';
    if (name === '(idle)' || name === '(root)') part = 'idle';
    else if (name === '(garbage collector)') part = 'GC';
    else {
      const parent = parents.get(id);
      part = partOf(node.callFrame.url) ?? (parent === undefined ? 'other' : resolve(parent));
      if (part === 'idle') part = 'other';
    }
    parts.set(id, part);
    return part;
  };
  const micros = new Map<ProfilePart, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const part = resolve(id);
    if (part === 'idle') return;
    const delta = profile.timeDeltas[index] ?? 0;
    busy += delta;
    micros.set(part, (micros.get(part) ?? 0) + delta);
  });
  const shares = Object.fromEntries(
    PROFILE_PARTS.map((part) => [part, busy ? Math.round(((micros.get(part) ?? 0) / busy) * 1000) / 10 : 0]),
  ) as Record<ProfilePart, number>;
  return { file, busyMs: Math.round(busy / 1000), shares };
}

/** The newest profile a target wrote into its directory, split; undefined if it wrote none. */
export function splitNewestProfile(dir: string): ProfileSplit | undefined {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  } catch {
    return undefined;
  }
  const newest = files.map((name) => join(dir, name)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  return newest ? splitProfile(newest) : undefined;
}
