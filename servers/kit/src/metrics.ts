/**
 * Prometheus metrics for one instance, in text format at `/metrics`. The harness scrapes these
 * before and after a run to count, from the server side, how many `server/discover`,
 * `initialize`, `tools/list` and `tools/call` requests each client policy cost.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HandleEvents } from './handles.js';

export type Era = 'modern' | 'legacy';

export interface Metrics extends HandleEvents {
  readonly registry: Registry;
  request(labels: { method: string; tool: string; era: Era; status: number }, bytesIn: number, bytesOut: number): void;
  toolCall(tool: string, outcome: 'ok' | 'tool_error' | 'exception', seconds: number, code?: string): void;
  /** Registers a gauge of live handles per kind, read from the store on each scrape. */
  trackLiveHandles(count: () => Promise<Map<string, number>>): void;
  counter(name: string, help: string, labelNames?: string[]): Counter;
  gauge(name: string, help: string, read: () => number): void;
}

export function createMetrics(server: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ server });
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'mcp_requests_total',
    help: 'MCP HTTP requests by JSON-RPC method, tool, protocol era and HTTP status',
    labelNames: ['method', 'tool', 'era', 'status'],
    registers: [registry],
  });
  const requestBytes = new Counter({
    name: 'mcp_request_bytes_total',
    help: 'Request body bytes by JSON-RPC method and era',
    labelNames: ['method', 'era'],
    registers: [registry],
  });
  const responseBytes = new Counter({
    name: 'mcp_response_bytes_total',
    help: 'Response body bytes by JSON-RPC method and era',
    labelNames: ['method', 'era'],
    registers: [registry],
  });
  const toolCalls = new Counter({
    name: 'mcp_tool_calls_total',
    help: 'Tool calls that reached a handler, by outcome',
    labelNames: ['tool', 'outcome'],
    registers: [registry],
  });
  const toolErrors = new Counter({
    name: 'mcp_tool_errors_total',
    help: 'Tool results with isError, by stable error code',
    labelNames: ['tool', 'code'],
    registers: [registry],
  });
  const toolSeconds = new Histogram({
    name: 'mcp_tool_duration_seconds',
    help: 'Time spent in tool handlers',
    labelNames: ['tool'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const handlesCreated = new Counter({
    name: 'mcp_handles_created_total',
    help: 'State handles minted, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  const handlesEnded = new Counter({
    name: 'mcp_handles_ended_total',
    help: 'State handles ended by this instance, by kind and reason (destroyed, expired)',
    labelNames: ['kind', 'reason'],
    registers: [registry],
  });
  const handleErrors = new Counter({
    name: 'mcp_handle_errors_total',
    help: 'Handle look-ups refused, by kind and reason code',
    labelNames: ['kind', 'reason'],
    registers: [registry],
  });

  return {
    registry,
    request({ method, tool, era, status }, bytesIn, bytesOut) {
      requests.inc({ method, tool, era, status: String(status) });
      requestBytes.inc({ method, era }, bytesIn);
      responseBytes.inc({ method, era }, bytesOut);
    },
    toolCall(tool, outcome, seconds, code) {
      toolCalls.inc({ tool, outcome });
      toolSeconds.observe({ tool }, seconds);
      if (code) toolErrors.inc({ tool, code });
    },
    created: (kind) => handlesCreated.inc({ kind }),
    ended: (kind, reason) => handlesEnded.inc({ kind, reason }),
    refused: (kind, reason) => handleErrors.inc({ kind, reason }),
    trackLiveHandles(count) {
      new Gauge({
        name: 'mcp_handles_active',
        help: 'Live state handles in the shared store, by kind',
        labelNames: ['kind'],
        registers: [registry],
        async collect() {
          // A store that cannot answer right now keeps the last counts rather than failing the scrape.
          const live = await count().catch(() => undefined);
          if (!live) return;
          this.reset();
          for (const [kind, n] of live) this.set({ kind }, n);
        },
      });
    },
    counter(name, help, labelNames = []) {
      // Two parts of one server (its lean path and its tests' in-process front) may count together.
      const known = registry.getSingleMetric(name);
      return known instanceof Counter ? known : new Counter({ name, help, labelNames, registers: [registry] });
    },
    gauge(name, help, read) {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    },
  };
}
