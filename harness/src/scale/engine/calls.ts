/**
 * Every tool call of a scale run goes through here: route it (per request, by the router, or to
 * a load balancer that routes itself), send it, and when the instance is gone or the store could
 * not answer, send it again if retry.ts says that cannot apply it twice. Calls started inside the
 * measured window are recorded: latency in an HdrHistogram per tool, successes, failures by kind,
 * and what failures cost (failed attempts, retries, retries that then succeeded, calls not retried).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as hdr from 'hdr-histogram-js';
import type { Latency, ToolStats } from '../report/schema.js';
import { retryVerdict } from './retry.js';
import type { Replica, Router } from './router.js';
import { classify, post, TransportError, type Outcome, type Reply } from './wire.js';

/** Where a server's requests go: picked per request by the load generator, or one balancer URL. */
export type Route = { router: Router } | { balancer: string };

export interface Request {
  headers: Record<string, string>;
  body: string;
}

export class Recorder {
  recording = false;
  private readonly tools = new Map<string, { ok: number; failed: number; histogram: hdr.Histogram }>();
  private readonly all = newHistogram();
  readonly errors: Record<string, number> = {};
  readonly failedAttempts: Record<string, number> = {};
  retried = 0;
  retriedOk = 0;
  notRetried = 0;
  private readonly examples = new Map<string, string>();

  /** Latency is recorded for successful calls only: a fast refusal is not a fast answer. */
  record(tool: string, startedMs: number, outcome: Outcome, retried: boolean): void {
    const micros = Math.max(1, Math.round((performance.now() - startedMs) * 1000));
    const slot = this.slot(tool);
    if (outcome.ok) {
      slot.histogram.recordValue(micros);
      this.all.recordValue(micros);
      slot.ok += 1;
    } else {
      slot.failed += 1;
      this.errors[outcome.kind] = (this.errors[outcome.kind] ?? 0) + 1;
      if (!this.examples.has(outcome.kind)) this.examples.set(outcome.kind, `${tool}: ${outcome.detail}`);
    }
    if (retried) {
      this.retried += 1;
      if (outcome.ok) this.retriedOk += 1;
    }
  }

  /** An attempt whose instance did not answer; `repeatable` false means the call could not be retried. */
  attemptFailed(kind: string, repeatable: boolean): void {
    this.failedAttempts[kind] = (this.failedAttempts[kind] ?? 0) + 1;
    if (!repeatable) this.notRetried += 1;
  }

  /** A step the harness itself could not carry out (a bug or a set-up call that failed mid-run). */
  harnessError(message: string): void {
    if (!this.recording) return;
    const kind = `harness: ${message.slice(0, 120)}`;
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
  }

  get succeeded(): number {
    return [...this.tools.values()].reduce((sum, tool) => sum + tool.ok, 0);
  }

  latency(): Latency {
    return latencyOf(this.all);
  }

  byTool(): Record<string, ToolStats> {
    return Object.fromEntries(
      [...this.tools].map(([tool, s]) => [tool, { ok: s.ok, failed: s.failed, latencyMs: latencyOf(s.histogram) }]),
    );
  }

  /** One example message per error kind, for the reader who wants to know what went wrong. */
  errorExamples(): Record<string, string> {
    return Object.fromEntries(this.examples);
  }

  private slot(tool: string) {
    let slot = this.tools.get(tool);
    if (!slot) this.tools.set(tool, (slot = { ok: 0, failed: 0, histogram: newHistogram() }));
    return slot;
  }
}

export interface CallOptions {
  /** Routing key: the handle (or session id) the call is about; "" when there is none. */
  key: string;
  /** Is this call safe to repeat (read-only, idempotent, or keyed), should its first attempt have landed? */
  retryable: boolean;
  /** When the call was due (open loop: the schedule, so queueing counts as latency). */
  startedMs?: number;
  /** Receives the instance that answered (sticky sessions learn from it). */
  answeredBy?: (endpoint: Replica | null) => void;
}

export class Caller {
  constructor(
    private readonly routes: Record<string, Route>,
    readonly recorder: Recorder,
  ) {}

  async call(server: string, tool: string, request: () => Request, options: CallOptions): Promise<Outcome> {
    const started = options.startedMs ?? performance.now();
    const counted = this.recorder.recording;
    const { outcome, retried } = await this.send(server, request, options, counted);
    if (counted) this.recorder.record(tool, started, outcome, retried);
    return outcome;
  }

  /** Sends and returns the raw reply (the session handshake needs its headers); no recording. */
  async exchange(server: string, request: Request, key: string): Promise<{ reply: Reply; endpoint: Replica | null }> {
    const { url, endpoint } = this.target(server, key);
    return { reply: await post(url, request.headers, request.body), endpoint };
  }

  /** Sticky sessions: the key keeps going to the instance that answered it. */
  learn(server: string, key: string, endpoint: Replica | null): void {
    const route = this.routes[server];
    if (route && 'router' in route && endpoint) route.router.learn(key, endpoint);
  }

  private async send(server: string, request: () => Request, options: CallOptions, counted: boolean) {
    const route = this.routes[server]!;
    const router = 'router' in route ? route.router : undefined;
    const first = performance.now();
    let avoid: Replica | undefined;
    for (let attempt = 1; ; attempt++) {
      const { url, endpoint } = this.target(server, options.key, avoid);
      const { headers, body } = request();
      if (endpoint) router?.started(endpoint);
      let outcome: Outcome;
      try {
        outcome = classify(await post(url, headers, body));
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        outcome = { ok: false, kind: error.kind, retryable: true, detail: `${url}: ${error.kind}` };
      } finally {
        if (endpoint) router?.finished(endpoint);
      }
      const verdict = retryVerdict(outcome, options.retryable, attempt, performance.now() - first);
      if (endpoint && router) {
        if (verdict.blameInstance) router.markDown(endpoint);
        else router.markUp(endpoint);
      }
      if (verdict.failedAttempt && counted)
        this.recorder.attemptFailed(outcome.ok ? '' : outcome.kind, verdict.repeatable);
      if (verdict.retryInMs === null) {
        if (!verdict.blameInstance) options.answeredBy?.(endpoint);
        return { outcome, retried: attempt > 1 };
      }
      if (verdict.retryInMs > 0) await sleep(verdict.retryInMs);
      avoid = verdict.blameInstance ? (endpoint ?? undefined) : undefined;
    }
  }

  private target(server: string, key: string, avoid?: Replica): { url: string; endpoint: Replica | null } {
    const route = this.routes[server];
    if (!route) throw new Error(`no route for the ${server} server`);
    if ('balancer' in route) return { url: route.balancer, endpoint: null };
    const endpoint = route.router.pick(key, avoid);
    return { url: endpoint.url, endpoint };
  }
}

function newHistogram(): hdr.Histogram {
  // Microseconds from 1 µs to 2 minutes, 3 significant digits.
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

function latencyOf(histogram: hdr.Histogram): Latency {
  if (histogram.totalCount === 0) return { p50: null, p95: null, p99: null, max: null, mean: null };
  const ms = (micros: number) => Math.round(micros) / 1000;
  return {
    p50: ms(histogram.getValueAtPercentile(50)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}
