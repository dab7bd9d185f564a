/**
 * Server-side counting: scrape a server instance's `/metrics` (Prometheus text) and sum the
 * kit's request counters per JSON-RPC method. The harness scrapes every instance before and
 * after a run; the difference is what the run cost as the server saw it.
 */
import { emptyTraffic, type MethodTraffic, type Traffic } from './counting.js';

const COUNTERS: Record<string, keyof Traffic> = {
  mcp_requests_total: 'requests',
  mcp_request_bytes_total: 'requestBytes',
  mcp_response_bytes_total: 'responseBytes',
};

export async function scrapeTraffic(origin: string): Promise<MethodTraffic> {
  let text: string;
  try {
    const response = await fetch(`${origin}/metrics`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    throw new Error(`cannot read ${origin}/metrics: ${(error as Error).message}`, { cause: error });
  }
  return parseTraffic(text);
}

/** Sums `mcp_requests_total` and the byte counters by their `method` label. */
export function parseTraffic(text: string): MethodTraffic {
  const traffic: MethodTraffic = {};
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{([^}]*)\}\s+(\S+)$/.exec(line);
    const field = match ? COUNTERS[match[1]!] : undefined;
    if (!match || !field) continue;
    const method = /(?:^|,)method="((?:[^"\\]|\\.)*)"/.exec(match[2]!)?.[1];
    if (method === undefined) continue;
    (traffic[method] ??= emptyTraffic())[field] += Number(match[3]);
  }
  return traffic;
}

/** after - before, per method; methods with no change are left out. */
export function trafficDelta(before: MethodTraffic, after: MethodTraffic): MethodTraffic {
  const delta: MethodTraffic = {};
  for (const [method, now] of Object.entries(after)) {
    const then = before[method] ?? emptyTraffic();
    const change = {
      requests: now.requests - then.requests,
      requestBytes: now.requestBytes - then.requestBytes,
      responseBytes: now.responseBytes - then.responseBytes,
    };
    if (change.requests || change.requestBytes || change.responseBytes) delta[method] = change;
  }
  return delta;
}
