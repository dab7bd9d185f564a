/**
 * Client-side counting: a `fetch` wrapper given to every MCP client transport. It reads the
 * JSON-RPC `method` of each request body and counts requests, request body bytes and response
 * body bytes per server and method, exactly what the servers count in `/metrics`
 * (`mcp_requests_total`, `mcp_request_bytes_total`, `mcp_response_bytes_total`), so the two
 * can be compared. A GET carries no JSON-RPC message (the v1 client opens one after
 * `initialize` and accepts the 405); servers answer it before counting, so it is counted apart.
 */

export interface Traffic {
  requests: number;
  requestBytes: number;
  responseBytes: number;
}

/** Traffic per method ("tools/list", ...); `HTTP_GET` for message-less GETs. */
export type MethodTraffic = Record<string, Traffic>;

/** The key under which GET /mcp requests are counted (client side only). */
export const HTTP_GET = 'GET /mcp';

export const emptyTraffic = (): Traffic => ({ requests: 0, requestBytes: 0, responseBytes: 0 });

export function addTraffic(into: Traffic, more: Traffic): Traffic {
  into.requests += more.requests;
  into.requestBytes += more.requestBytes;
  into.responseBytes += more.responseBytes;
  return into;
}

export class TrafficCounter {
  private readonly byServer = new Map<string, MethodTraffic>();
  private readonly pending = new Set<Promise<void>>();

  /**
   * A fetch for one client's transport to one server: counts, then passes the request on
   * unchanged. Its `settled()` resolves once that client's responses have been read to the end;
   * await it before closing the client, whose close aborts bodies still streaming.
   */
  fetchFor(server: string): CountingFetch {
    const mine = new Set<Promise<void>>();
    const counting = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const bodyBytes = byteLength(init?.body);
      const method = (init?.method ?? 'GET').toUpperCase() === 'GET' ? HTTP_GET : methodOf(init?.body);
      const traffic = this.slot(server, method);
      traffic.requests += 1;
      traffic.requestBytes += bodyBytes;
      const response = await fetch(input, init);
      // A tee of the body: the client reads its branch at its own pace, we count ours to the end.
      const counted = response
        .clone()
        .arrayBuffer()
        .then((body) => void (traffic.responseBytes += body.byteLength))
        .catch(() => undefined);
      for (const set of [this.pending, mine]) {
        set.add(counted);
        void counted.finally(() => set.delete(counted));
      }
      return response;
    };
    return Object.assign(counting, { settled: () => drain(mine) });
  }

  /** Resolves once every response seen so far has been read to its end. */
  settled(): Promise<void> {
    return drain(this.pending);
  }

  /** A copy of the counts so far: server -> method -> traffic. */
  snapshot(): Record<string, MethodTraffic> {
    const copy: Record<string, MethodTraffic> = {};
    for (const [server, methods] of this.byServer) {
      copy[server] = Object.fromEntries(Object.entries(methods).map(([method, t]) => [method, { ...t }]));
    }
    return copy;
  }

  private slot(server: string, method: string): Traffic {
    let methods = this.byServer.get(server);
    if (!methods) this.byServer.set(server, (methods = {}));
    return (methods[method] ??= emptyTraffic());
  }
}

export type CountingFetch = typeof fetch & { settled(): Promise<void> };

async function drain(pending: Set<Promise<void>>): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}

/** The JSON-RPC method of a request body, named the way the servers label it. */
function methodOf(body: unknown): string {
  if (typeof body !== 'string') return 'other';
  try {
    const message = JSON.parse(body) as unknown;
    if (Array.isArray(message)) return 'batch';
    const method = (message as { method?: unknown } | null)?.method;
    return typeof method === 'string' ? method : 'response';
  } catch {
    return 'invalid';
  }
}

function byteLength(body: unknown): number {
  if (body === undefined || body === null) return 0;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  return 0;
}
