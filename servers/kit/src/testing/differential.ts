/**
 * The lean path's differential test bench: the same requests, in the same order, to two copies
 * of a server answering over real HTTP on loopback, one with LEAN_PATH=on and one with
 * LEAN_PATH=off. Every answer must match in status, the headers that matter (all but framing and
 * date) and body. Ids the servers mint are random per copy, so each copy's ids are compared by
 * the order they first appeared; requests name them as `<id#n>`.
 */
import type { RunningHttpServer } from '../http.js';
import type { InProcessApp } from './in-process.js';

/**
 * One request; `<id#n>` in headers or body stands for the n-th id each copy minted, and
 * `<b64id#n>` for that id in an `Mcp-Param-*` header's Base64 form.
 */
export interface Exchange {
  headers: Record<string, string>;
  body: string;
  /** Default POST. */
  method?: string;
}

export interface Outcome {
  status: number;
  /** The answer's headers that matter, lower-case. */
  headers: Record<string, string>;
  /** The body with minted ids written as `<id#n>`. */
  body: string;
  /** What the lean path did: `served`, the reason it left the request to the SDK, or `not-asked`. */
  lean: string;
}

export interface DifferentialOptions {
  /** Opens one copy of the server in this process with `env` added to its settings. */
  open(env: Record<string, string>): Promise<InProcessApp<unknown>>;
  /** Matches every id the server mints (handle ids, order ids), with the `g` flag. */
  ids: RegExp;
}

/** Framing and the date differ between any two answers; nothing else may. */
const IGNORED_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

interface Copy {
  app: InProcessApp<unknown>;
  http: RunningHttpServer;
  /** The ids this copy minted, in the order they first appeared in its answers. */
  ids: string[];
}

export class Differential {
  private constructor(
    private readonly lean: Copy,
    private readonly sdk: Copy,
    private readonly idPattern: RegExp,
  ) {}

  static async start(options: DifferentialOptions): Promise<Differential> {
    const open = async (env: Record<string, string>): Promise<Copy> => {
      const app = await options.open(env);
      return { app, http: await app.listen(), ids: [] };
    };
    const [lean, sdk] = await Promise.all([open({ LEAN_PATH: 'on' }), open({ LEAN_PATH: 'off' })]);
    // Both copies read the same time, so the expiry times they write are the same.
    sdk.app.clock.advance(lean.app.clock.now() - sdk.app.clock.now());
    return new Differential(lean, sdk, options.ids);
  }

  /** The n-th id the copies minted, as the lean copy knows it (for reading, not for requests). */
  minted(): number {
    return this.lean.ids.length;
  }

  /**
   * Sends `exchange` to both copies (lean first, then the SDK copy, so each sees the same
   * history) and returns the one outcome; throws, showing both answers, if they differ.
   */
  async send(exchange: Exchange): Promise<Outcome> {
    const before = await leanCounts(this.lean.app);
    const lean = await this.ask(this.lean, exchange);
    const after = await leanCounts(this.lean.app);
    const sdk = await this.ask(this.sdk, exchange);
    for (const copy of [this.lean, this.sdk]) copy.app.clock.advance(1);
    const mismatch =
      lean.status !== sdk.status
        ? 'status'
        : JSON.stringify(lean.headers) !== JSON.stringify(sdk.headers)
          ? 'headers'
          : lean.body !== sdk.body
            ? 'body'
            : undefined;
    if (mismatch) {
      throw new Error(
        `the lean path's answer differs from the SDK's in its ${mismatch}\n` +
          `request: ${exchange.method ?? 'POST'} ${JSON.stringify(exchange.headers)} ${exchange.body.slice(0, 2000)}\n` +
          `lean (${leanOutcome(before, after)}): ${lean.status} ${JSON.stringify(lean.headers)} ${lean.body.slice(0, 3000)}\n` +
          `sdk: ${sdk.status} ${JSON.stringify(sdk.headers)} ${sdk.body.slice(0, 3000)}`,
      );
    }
    return { ...lean, lean: leanOutcome(before, after) };
  }

  async close(): Promise<void> {
    await Promise.all([this.lean.app.close(), this.sdk.app.close()]);
  }

  private async ask(copy: Copy, exchange: Exchange): Promise<Omit<Outcome, 'lean'>> {
    const resolve = (text: string) =>
      text.replace(/<(b64)?id#(\d+)>/g, (whole, b64: string | undefined, n: string) => {
        const id = copy.ids[Number(n)];
        if (id === undefined) return whole;
        return b64 ? `=?base64?${Buffer.from(id).toString('base64')}?=` : id;
      });
    const headers = Object.fromEntries(Object.entries(exchange.headers).map(([name, value]) => [name, resolve(value)]));
    const response = await fetch(copy.http.url, {
      method: exchange.method ?? 'POST',
      headers,
      body: exchange.method === 'GET' ? undefined : resolve(exchange.body),
    });
    const text = await response.text();
    const body = text.replace(this.idPattern, (id) => {
      let n = copy.ids.indexOf(id);
      if (n < 0) n = copy.ids.push(id) - 1;
      return `<id#${n}>`;
    });
    const kept = [...response.headers].filter(([name]) => !IGNORED_HEADERS.has(name)).sort();
    return { status: response.status, headers: Object.fromEntries(kept), body };
  }
}

type Counts = Map<string, number>;

async function leanCounts(app: InProcessApp<unknown>): Promise<Counts> {
  const metric = app.runtime.metrics.registry.getSingleMetric('mcp_lean_path_total');
  const counts: Counts = new Map();
  if (!metric) return counts;
  for (const { labels, value } of (await metric.get()).values) {
    const outcome = String(labels.outcome);
    counts.set(outcome, (counts.get(outcome) ?? 0) + value);
  }
  return counts;
}

function leanOutcome(before: Counts, after: Counts): string {
  for (const [outcome, value] of after) if (value > (before.get(outcome) ?? 0)) return outcome;
  return 'not-asked';
}
