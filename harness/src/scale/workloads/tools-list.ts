/**
 * Every step lists the tools (a 2026-07-28 `tools/list` with the bearer token, no cache): what the
 * one list a sessionless client fetches per server costs that server.
 */
import type { Caller } from '../engine/calls.js';
import { modernRequest } from '../engine/wire.js';
import type { Invariant } from '../report/schema.js';
import type { Workload } from './workload.js';

export class ToolsListWorkload implements Workload {
  constructor(
    private readonly caller: Caller,
    readonly agentCount: number,
    private readonly options: { server: string; token?: string },
  ) {}

  async setup(): Promise<void> {}

  async step(_n: number, startedMs?: number): Promise<void> {
    const { server, token } = this.options;
    await this.caller.call(server, 'tools/list', () => modernRequest('tools/list', {}, { token }), {
      key: '',
      retryable: true,
      startedMs,
    });
  }

  async verify(): Promise<Invariant[]> {
    return [];
  }

  async teardown(): Promise<void> {}
}
