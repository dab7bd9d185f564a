/**
 * The echo baselines' workload: every step calls the one `echo` tool, so the same load generator
 * measures what a request costs with nothing behind it (the raw ceiling, the SDK's stock echo,
 * the kit's echo). Nothing to set up or verify beyond the answers themselves.
 */
import type { Caller } from '../engine/calls.js';
import { modernCall } from '../engine/wire.js';
import type { Invariant } from '../report/schema.js';
import type { Workload } from './workload.js';

export class EchoWorkload implements Workload {
  constructor(
    private readonly caller: Caller,
    readonly agentCount: number,
    /** The route the responder is under, and a bearer token for one that checks it (the kit's echo). */
    private readonly options: { server?: string; token?: string } = {},
  ) {}

  async setup(): Promise<void> {}

  async step(n: number, startedMs?: number): Promise<void> {
    const { server = 'baseline', token } = this.options;
    await this.caller.call(server, 'echo', () => modernCall('echo', { text: 'hello' }, { token }), {
      key: String(n),
      retryable: true,
      startedMs,
    });
  }

  async verify(): Promise<Invariant[]> {
    return [];
  }

  async teardown(): Promise<void> {}
}
