/**
 * Browser server benchmark: what isolation and "any instance can serve any handle" cost. Server
 * start-up to the first tools/list (no browser launched), the browser launch, a warm call against a
 * cold rehydration on another instance, and memory per live context. Two server processes share
 * one SQLite file; the demo storefront runs in this process. Writes reports/bench-browser.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectModern, startServerProcess, tempDir, type ServerProcess } from '@sessionless/kit/testing';
import { startDemoSite } from '@sessionless/scenarios/site';
import { rankAt, round1, sortNumbers } from './lib/stats.js';

type Client = Awaited<ReturnType<typeof connectModern>>;

const { values } = parseArgs({
  options: { samples: { type: 'string', default: '30' }, contexts: { type: 'string', default: '8' } },
});
const SAMPLES = Number(values.samples);
const CONTEXTS = Number(values.contexts);
const entry = fileURLToPath(new URL('../../servers/browser/dist/main.js', import.meta.url));

const site = await startDemoSite();
const data = tempDir('browser-bench-');
const env = {
  DATA_DIR: data.path,
  BROWSER_ALLOWED_ORIGINS: site.origin,
  BROWSER_MAX_LIVE: String(CONTEXTS + 2),
  BROWSER_QUOTA: '50',
};
const servers: ServerProcess[] = [];
const clients: Client[] = [];

try {
  // 1. Start-up to the first tools/list, with no browser.
  const startups: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const server = await startServerProcess({ entry, env });
    const client = await connectModern(server.url);
    await client.listTools();
    startups.push(performance.now() - started);
    if (descendants(server.child.pid!).length !== 0) {
      throw new Error('a browser was launched before any call needed one');
    }
    if (i < 3) {
      await client.close();
      await server.stop();
    } else {
      servers.push(server);
      clients.push(client);
    }
  }
  const [a, b] = clients as [Client, Client];
  const call = async (client: Client, name: string, args: Record<string, unknown>) => {
    const started = performance.now();
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
    return { ms: performance.now() - started, value: result.structuredContent as { browser_id: string } };
  };

  // 2. Browser launch: the first create launches Chromium; later creates only open a context.
  const first = await call(a, 'browser_create', { start_url: `${site.origin}/` });
  const later: number[] = [];
  for (let i = 0; i < 5; i++) {
    const created = await call(a, 'browser_create', { start_url: `${site.origin}/` });
    later.push(created.ms);
    await call(a, 'browser_destroy', { browser_id: created.value.browser_id });
  }
  const id = first.value.browser_id;

  // 3. Warm vs cold: a page change on A, then a snapshot on A (warm) or on B (cold rebuild).
  const warm: number[] = [];
  const cold: number[] = [];
  await call(b, 'browser_snapshot', { browser_id: id }); // B launches its own Chromium outside the samples
  for (let i = 0; i < SAMPLES; i++) {
    const url = `${site.origin}/product/TEA-${String((i % 50) + 1).padStart(4, '0')}`;
    await call(a, 'browser_navigate', { browser_id: id, url });
    warm.push((await call(a, 'browser_snapshot', { browser_id: id })).ms);
    await call(a, 'browser_navigate', { browser_id: id, url: `${site.origin}/search?q=tea` });
    cold.push((await call(b, 'browser_snapshot', { browser_id: id })).ms);
  }

  // 4. Memory per live context: PSS of server A and its Chromium tree, before and after N more contexts.
  const serverPid = servers[0]!.child.pid!;
  const rssBefore = treePss(serverPid);
  for (let i = 0; i < CONTEXTS; i++) await call(a, 'browser_create', { start_url: `${site.origin}/products` });
  const rssAfter = treePss(serverPid);

  const report = {
    machine: { cpus: cpus().length, node: process.version },
    startupToToolsListMs: summary(startups),
    firstCreateWithLaunchMs: round1(first.ms),
    laterCreateMs: summary(later),
    browserLaunchMs: round1(first.ms - median(later)),
    warmSnapshotMs: summary(warm),
    coldRehydratedSnapshotMs: summary(cold),
    coldOverWarm: round1(median(cold) / median(warm)),
    memoryPerContextMiB: round1((rssAfter - rssBefore) / CONTEXTS / 1024),
    samples: SAMPLES,
    contexts: CONTEXTS,
  };
  mkdirSync(new URL('../../reports/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../../reports/bench-browser.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  const row = (label: string, value: string) => process.stdout.write(`${label.padEnd(44)} ${value}\n`);
  row('server start-up to first tools/list (p50)', `${report.startupToToolsListMs.p50} ms (no browser launched)`);
  row('first browser_create (launches Chromium)', `${report.firstCreateWithLaunchMs} ms`);
  row('later browser_create (p50)', `${report.laterCreateMs.p50} ms`);
  row('browser launch (difference)', `${report.browserLaunchMs} ms`);
  row(
    `warm browser_snapshot (p50 / p95, n=${SAMPLES})`,
    `${report.warmSnapshotMs.p50} / ${report.warmSnapshotMs.p95} ms`,
  );
  row(
    `cold rehydrated browser_snapshot (p50 / p95)`,
    `${report.coldRehydratedSnapshotMs.p50} / ${report.coldRehydratedSnapshotMs.p95} ms`,
  );
  row('cold / warm (p50)', `${report.coldOverWarm}x`);
  row(`memory per live context (${CONTEXTS} contexts)`, `${report.memoryPerContextMiB} MiB (PSS, server + Chromium)`);
  process.stdout.write('\nwrote reports/bench-browser.json\n');
} finally {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await Promise.all(servers.map((server) => server.stop()));
  await site.close();
  data.remove();
}

function descendants(pid: number): number[] {
  let listing = '';
  try {
    listing = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  const children = listing
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((n) => n > 0);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** KiB of proportional set size (shared pages split between sharers) of a process and its tree. */
function treePss(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, p) => {
    try {
      return sum + Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      return sum;
    }
  }, 0);
}

/** The upper of the two middle values for an even count (index floor(n / 2)), not their mean. */
function median(values: number[]): number {
  return rankAt(sortNumbers(values), 0.5);
}

function summary(values: number[]) {
  const sorted = sortNumbers(values);
  const at = (q: number) => round1(rankAt(sorted, q));
  return {
    p50: at(0.5),
    p95: at(0.95),
    min: round1(sorted[0] ?? Number.NaN),
    max: round1(sorted.at(-1) ?? Number.NaN),
  };
}
