/**
 * What the browser tools depend on, built once per process: the handle registry, the durable
 * browser records, and this instance's pool of live contexts.
 */
import type { HandleKind, HandleRecord, Handles, Metrics, Runtime, StoreTx } from '@sessionless/kit';
import type { BrowserConfig, BrowserLimits } from './config.js';
import { AllowList } from './domain/allow-list.js';
import { startGuardProxy, type GuardProxy } from './domain/guard-proxy.js';
import { Launcher, type ChromiumChoice } from './domain/launcher.js';
import { BrowserPool } from './domain/pool.js';
import { PostgresBrowserStore } from './domain/postgres-store.js';
import { SqliteBrowserStore } from './domain/sqlite-store.js';
import type { SnapshotLimits } from './domain/snapshot.js';
import type { BrowserStore } from './domain/store.js';

export interface BrowserDeps {
  handles: Handles;
  browserKind: HandleKind;
  store: BrowserStore;
  pool: BrowserPool;
  allowList: AllowList;
  snapshot: SnapshotLimits;
  maxFields: number;
}

export const BROWSER_NAMES = {
  prefix: 'brw',
  noun: 'browser',
  createTool: 'browser_create',
  listTool: 'browser_list',
  idArgument: 'browser_id',
} as const;

/**
 * The browser handle kind. When a browser handle ends, its record goes in the same transaction,
 * then this instance closes its live context (other instances close theirs on their next sweep).
 */
export function browserKind(limits: BrowserLimits, store?: BrowserStore, pool?: BrowserPool): HandleKind {
  const { idleTtlMs, absoluteTtlMs, quotaPerPrincipal } = limits;
  const state = store && {
    remove: (tx: StoreTx, handle: HandleRecord) => store.remove(tx, handle.id),
    release: async (handle: HandleRecord) => pool?.close(handle.id),
  };
  return { ...BROWSER_NAMES, idleTtlMs, absoluteTtlMs, quotaPerPrincipal, state };
}

/**
 * Wires the browser side of a server process. Nothing is launched here: the guard proxy and
 * Chromium (found at start-up by `findChromium`) start with the first call that needs a page.
 */
export function createBrowserDeps(
  runtime: Runtime,
  config: BrowserConfig,
  chromium: ChromiumChoice,
): BrowserDeps & { close(): Promise<void> } {
  const allowList = new AllowList(config.BROWSER_ALLOWED_ORIGINS);
  let proxy: Promise<GuardProxy> | undefined;
  const launcher = new Launcher(chromium, async () => {
    proxy ??= startGuardProxy(allowList, (url, reason) => runtime.logger.debug({ url, reason }, 'request refused'));
    return (await proxy).url;
  });
  const store: BrowserStore =
    runtime.store.dialect === 'postgres'
      ? new PostgresBrowserStore(runtime.store)
      : new SqliteBrowserStore(runtime.store.db);
  const pool = new BrowserPool({
    launcher,
    store,
    allowList,
    maxLive: config.BROWSER_MAX_LIVE,
    snapshot: { pageChars: config.BROWSER_SNAPSHOT_PAGE_CHARS, maxChars: config.BROWSER_SNAPSHOT_MAX_CHARS },
    events: poolEvents(runtime.metrics),
    logger: runtime.logger,
    now: runtime.now,
  });
  const limits: BrowserLimits = {
    idleTtlMs: config.BROWSER_IDLE_TTL,
    absoluteTtlMs: config.BROWSER_MAX_LIFETIME,
    quotaPerPrincipal: config.BROWSER_QUOTA,
  };
  const kind = browserKind(limits, store, pool);
  runtime.handles.register(kind);
  runtime.metrics.gauge('mcp_browser_live_contexts', 'Live browser contexts on this instance', () => pool.size);
  const sweeper = setInterval(
    () => {
      pool
        .sweep(config.BROWSER_CONTEXT_IDLE, async (id) => (await store.get(id)) !== undefined)
        .catch((error: unknown) => runtime.logger.error({ err: error }, 'browser sweep failed'));
    },
    Math.min(config.SWEEP_INTERVAL, 2 ** 31 - 1),
  );
  sweeper.unref();
  return {
    handles: runtime.handles,
    browserKind: kind,
    store,
    pool,
    allowList,
    snapshot: { pageChars: config.BROWSER_SNAPSHOT_PAGE_CHARS, maxChars: config.BROWSER_SNAPSHOT_MAX_CHARS },
    maxFields: config.BROWSER_MAX_FIELDS,
    async close() {
      clearInterval(sweeper);
      await pool.closeAll();
      await (await proxy)?.close();
    },
  };
}

/** Counters for the two ways a call finds its page: a live context (warm) or a rebuilt one (cold). */
export function poolEvents(metrics: Metrics) {
  const calls = metrics.counter(
    'mcp_browser_contexts_total',
    'Browser calls by how the page was found: warm (live) or rehydrated (cold)',
    ['path'],
  );
  return {
    warm: () => calls.inc({ path: 'warm' }),
    cold: () => calls.inc({ path: 'rehydrated' }),
  };
}
