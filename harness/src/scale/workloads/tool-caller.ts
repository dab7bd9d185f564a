/**
 * A workload's calls to tools by name: sent to the server whose tools/list named the tool, the
 * handle mirrored into its `Mcp-Param-*` header, and marked safe to retry on another instance only
 * when the tool's annotations or an idempotency key make it so.
 */
import type { Caller } from '../engine/calls.js';
import { modernCall, type Outcome } from '../engine/wire.js';
import { factsOrThrow, type Toolbook } from './toolbook.js';

export class ToolCaller {
  constructor(
    private readonly caller: Caller,
    readonly book: Toolbook,
    private readonly token?: string,
  ) {}

  /** One call; recorded when the window is open. `startedMs` is when it was due (open loop). */
  call(tool: string, args: Record<string, unknown>, startedMs?: number): Promise<Outcome> {
    const facts = factsOrThrow(this.book, tool);
    const handle = facts.handle ? String(args[facts.handle.argument] ?? '') : '';
    return this.caller.call(
      facts.server,
      tool,
      () =>
        modernCall(tool, args, {
          token: this.token,
          handleHeader: facts.handle && handle ? [facts.handle.header, handle] : undefined,
        }),
      { key: handle, retryable: facts.repeatable || 'idempotency_key' in args, startedMs },
    );
  }

  /** A call the run cannot do without (set-up, checks): its failure stops the run with the reason. */
  async must<T>(tool: string, args: Record<string, unknown>): Promise<T> {
    const outcome = await this.call(tool, args);
    if (!outcome.ok) throw new Error(`${tool} failed during set-up or checks: ${outcome.kind}: ${outcome.detail}`);
    return outcome.structured as T;
  }
}
