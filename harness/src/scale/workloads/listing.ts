/**
 * Every step asks for one of the lists a sessionless client fetches once per server (a 2026-07-28
 * `tools/list` or `server/discover` with the bearer token, no cache): what that costs the server.
 * The check at the end reads one answer: a list that came back empty or malformed would make the
 * numbers meaningless, so it fails the target.
 */
import type { Caller } from '../engine/calls.js';
import { modernRequest } from '../engine/wire.js';
import type { Invariant } from '../report/schema.js';
import type { Workload } from './workload.js';

export type ListingMethod = 'tools/list' | 'server/discover';

export class ListingWorkload implements Workload {
  constructor(
    private readonly caller: Caller,
    readonly agentCount: number,
    private readonly options: { server: string; method: ListingMethod; token?: string },
  ) {}

  /**
   * One answer before the window, as the other workloads' set-up makes their handle: a server
   * renders its lists on the first request, which a window of a fraction of a second could spend
   * entirely on (and then count no call).
   */
  async setup(): Promise<void> {
    const { server, method, token } = this.options;
    const { reply } = await this.caller.exchange(server, modernRequest(method, {}, { token }), '');
    if (reply.status !== 200) throw new Error(`${method} before the window was answered HTTP ${reply.status}`);
  }

  async step(_n: number, startedMs?: number): Promise<void> {
    const { server, method, token } = this.options;
    await this.caller.call(server, method, () => modernRequest(method, {}, { token }), {
      key: '',
      retryable: true,
      startedMs,
    });
  }

  async verify(): Promise<Invariant[]> {
    const { server, method, token } = this.options;
    const { reply } = await this.caller.exchange(server, modernRequest(method, {}, { token }), '');
    const result = parseResult(reply.body);
    const answered =
      method === 'tools/list'
        ? `${Array.isArray(result?.tools) ? result.tools.length : 'no'} tools`
        : `supportedVersions ${JSON.stringify(result?.supportedVersions)}`;
    const ok =
      reply.status === 200 &&
      (method === 'tools/list'
        ? Array.isArray(result?.tools) && result.tools.length > 0
        : Array.isArray(result?.supportedVersions) && result.supportedVersions.length > 0);
    return [
      {
        name: `a ${method} answer after the window is a full one`,
        ok,
        detail: `HTTP ${reply.status}, ${answered}`,
      },
    ];
  }

  async teardown(): Promise<void> {}
}

function parseResult(body: string): Record<string, unknown[] | undefined> | undefined {
  try {
    return (JSON.parse(body) as { result?: Record<string, unknown[] | undefined> }).result;
  } catch {
    return undefined;
  }
}
