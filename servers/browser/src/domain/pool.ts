/**
 * Live browser contexts on this instance, and how any instance serves any browser handle.
 * A call finds a live context at the record's current version (warm) or builds one from the
 * durable state: storage state, URL, then the current text of each filled field (cold
 * rehydration). After a call that changes the page, the new state is saved with the next version,
 * and only if the page is on the allow-list. Calls on one browser are serialised here; across
 * instances the version check catches races. Live contexts and snapshot sizes are bounded.
 */
import type { Logger } from '@sessionless/kit';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { AllowList } from './allow-list.js';
import {
  browserNotFound,
  cannotOpen,
  elementGone,
  noSnapshot,
  PageUntouchedError,
  pageMovedAway,
  pageTriedRefused,
  refNotFound,
  snapshotOutdated,
  toDomainError,
} from './errors.js';
import type { Launcher } from './launcher.js';
import { refill, withFill } from './fills.js';
import { guardPage, leftAllowList } from './page-guard.js';
import type { BrowserRecord, BrowserStore, Fill } from './store.js';
import { findRef, keptSnapshot, parseRefs, type RefTarget, type SnapshotLimits } from './snapshot.js';

export interface PoolEvents {
  warm(): void;
  cold(): void;
}

export interface PoolOptions {
  launcher: Launcher;
  store: BrowserStore;
  allowList: AllowList;
  maxLive: number;
  snapshot: SnapshotLimits;
  events: PoolEvents;
  logger: Logger;
  now?: () => number;
}

export interface Live {
  context: BrowserContext;
  page: Page;
  /** The record version this page reflects. */
  version: number;
  /** The snapshot whose `[ref=eN]` labels are valid on this page object. */
  refsSnapshot: string | null;
  lastUsed: number;
  refused: string[];
  /** True from a cold rebuild until the first change made on this page object. */
  rebuilt: boolean;
}

export interface PageView {
  url: string;
  title: string;
  snapshot: string;
}

/** What a page-changing action reports besides the page itself. */
export interface ChangeEffect {
  fill?: Fill;
  history?: string[];
}

const HISTORY_LIMIT = 20;
const ACTION_TIMEOUT_MS = 5_000;
const NAVIGATION_TIMEOUT_MS = 15_000;

export class BrowserPool {
  private readonly live = new Map<string, Live>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly now: () => number;

  constructor(private readonly options: PoolOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.live.size;
  }

  /** Runs `action` on the page and saves what it changed; returns the new page view. */
  change(id: string, action: (live: Live, record: BrowserRecord) => Promise<ChangeEffect | void>): Promise<PageView> {
    return this.exclusive(id, async () => {
      const record = await this.recordOrThrow(id);
      try {
        const live = await this.openInStep(record);
        const effect = (await action(live, record)) ?? {};
        await live.page.waitForLoadState('load', { timeout: NAVIGATION_TIMEOUT_MS }).catch(() => undefined);
        // Only an address on the allow-list is ever saved, so no instance rebuilds a refused page.
        const refused = leftAllowList(live.page, live.refused, this.options.allowList);
        if (refused) throw this.refusal(refused);
        const url = live.page.url();
        const navigated = url !== record.url || effect.history !== undefined;
        const snapshot = await this.snapshotOf(live);
        live.version = await this.options.store.savePage(id, record.version, {
          url,
          history: effect.history ?? (navigated ? [...record.history, url].slice(-HISTORY_LIMIT) : record.history),
          storage: (await live.context.storageState()) as BrowserRecord['storage'],
          fills: navigated ? [] : effect.fill ? withFill(record.fills, effect.fill) : record.fills,
          snapshot,
        });
        live.refsSnapshot = snapshot;
        live.rebuilt = false;
        return { url, title: await live.page.title(), snapshot };
      } catch (error) {
        if (!(error instanceof PageUntouchedError)) await this.discard(id);
        throw toDomainError(error, id);
      }
    });
  }

  /** Runs `read` on the page without changing it (snapshots, screenshots). */
  look<T>(id: string, read: (live: Live, record: BrowserRecord) => Promise<T>): Promise<T> {
    return this.exclusive(id, async () => {
      const record = await this.recordOrThrow(id);
      try {
        return await read(await this.openInStep(record), record);
      } catch (error) {
        throw toDomainError(error, id);
      }
    });
  }

  /** Takes and saves a snapshot of the current page; its refs then work on any instance. */
  async snapshot(id: string): Promise<PageView> {
    return this.look(id, async (live, record) => {
      const snapshot = await this.snapshotOf(live);
      await this.options.store.saveSnapshot(id, record.version, snapshot);
      live.refsSnapshot = snapshot;
      return { url: live.page.url(), title: await live.page.title(), snapshot };
    });
  }

  /** The element a ref from the last saved snapshot points at, on this instance's page. */
  async locate(live: Live, record: BrowserRecord, ref: string): Promise<{ locator: Locator; target: RefTarget }> {
    if (!record.snapshot) throw noSnapshot(record.id);
    if (record.snapshotVersion !== record.version) throw snapshotOutdated(record.id);
    const target = parseRefs(record.snapshot).get(ref);
    if (!target) throw refNotFound(record.id, ref);
    if (live.refsSnapshot === record.snapshot) return { locator: live.page.locator(`aria-ref=${ref}`), target };
    return { locator: await this.find(live, record.id, target), target };
  }

  /** Navigates, after checking the allow-list, so nothing is fetched from a refused address. */
  async goto(live: Live, url: string): Promise<void> {
    const verdict = this.options.allowList.check(url);
    if (!verdict.allowed) throw cannotOpen(url, verdict.code, verdict.reason);
    await live.page.goto(url, { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
  }

  /** The live context this instance holds for a browser, if any (for tests and diagnostics). */
  liveContext(id: string): BrowserContext | undefined {
    return this.live.get(id)?.context;
  }

  /** Closes the live context once the call running on it (if any) has finished. */
  async close(id: string): Promise<void> {
    await this.exclusive(id, () => this.discard(id)).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.discard(id)));
    await this.options.launcher.close();
  }

  /** Closes contexts idle longer than `idleMs` and those whose handle has ended elsewhere. */
  async sweep(idleMs: number, isLive: (id: string) => Promise<boolean>): Promise<number> {
    let closed = 0;
    for (const [id, live] of [...this.live]) {
      if (this.now() - live.lastUsed > idleMs || !(await isLive(id))) {
        await this.discard(id);
        closed++;
      }
    }
    return closed;
  }

  private async open(record: BrowserRecord): Promise<Live> {
    const existing = this.live.get(record.id);
    if (existing && existing.version === record.version && !existing.page.isClosed()) {
      this.live.delete(record.id);
      this.live.set(record.id, existing);
      existing.lastUsed = this.now();
      this.options.events.warm();
      return existing;
    }
    if (existing) await this.discard(record.id);
    const browser = await this.options.launcher.browser();
    const context = await browser.newContext({
      viewport: record.viewport,
      storageState: record.storage as never,
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    const live: Live = {
      context,
      page,
      version: record.version,
      refsSnapshot: null,
      lastUsed: this.now(),
      refused: [],
      rebuilt: true,
    };
    guardPage(context, page, live.refused);
    try {
      if (record.url !== 'about:blank')
        await page.goto(record.url, { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
      if (record.fills.length) live.refsSnapshot = await refill(page, record);
    } catch (error) {
      await context.close().catch(() => undefined);
      throw error;
    }
    this.live.set(record.id, live);
    this.options.events.cold();
    await this.evict();
    return live;
  }

  /**
   * The live page for `record`, warm or rebuilt. A warm page that moved itself off the allow-list
   * since the last call is dropped (the record still holds the last allowed page) and the call refused.
   */
  private async openInStep(record: BrowserRecord): Promise<Live> {
    const live = await this.open(record);
    const moved = leftAllowList(live.page, live.refused, this.options.allowList);
    if (moved) {
      await this.discard(record.id);
      const verdict = this.options.allowList.check(moved);
      throw pageMovedAway(record.id, moved, verdict.allowed ? 'refused' : verdict.reason, record.url);
    }
    live.refused.length = 0;
    return live;
  }

  /** The snapshot of the page as kept and saved: bounded by BROWSER_SNAPSHOT_MAX_CHARS. */
  private async snapshotOf(live: Live): Promise<string> {
    return keptSnapshot(await live.page.ariaSnapshot({ mode: 'ai' }), this.options.snapshot);
  }

  /** The element with `target`'s role, name and position on this page, via a fresh snapshot. */
  async find(live: Live, id: string, target: RefTarget): Promise<Locator> {
    const fresh = await live.page.ariaSnapshot({ mode: 'ai' });
    const ref = findRef(fresh, target);
    if (!ref) throw elementGone(id, target);
    live.refsSnapshot = fresh;
    return live.page.locator(`aria-ref=${ref}`);
  }

  private async evict(): Promise<void> {
    while (this.live.size > this.options.maxLive) {
      const oldest = this.live.keys().next().value as string;
      await this.discard(oldest);
    }
  }

  private async discard(id: string): Promise<void> {
    const live = this.live.get(id);
    this.live.delete(id);
    await live?.context.close().catch(() => undefined);
  }

  private async recordOrThrow(id: string): Promise<BrowserRecord> {
    const record = await this.options.store.get(id);
    if (!record) throw browserNotFound(id);
    return record;
  }

  private refusal(url: string) {
    const verdict = this.options.allowList.check(url);
    return pageTriedRefused(url, verdict.allowed ? 'refused' : verdict.reason);
  }

  private exclusive<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.queues.set(id, next);
    void next
      .finally(() => {
        if (this.queues.get(id) === next) this.queues.delete(id);
      })
      .catch(() => undefined);
    return next;
  }
}

export const ACTION_OPTIONS = { timeout: ACTION_TIMEOUT_MS };
