/**
 * The client `check` speaks through: the server's era (2026-07-28 when it answers `server/discover`,
 * else 2025-11-25 inside whatever session `initialize` gives, as a real client would), per instance
 * and principal; tool calls with their `Mcp-Param-*` headers; and the count of every call to a tool
 * that is not annotated read-only, for the report's "writes" line.
 */
import { outcomeOf, paramHeaders, type ToolInfo, type ToolOutcome } from './tools.js';
import { failureOf, LEGACY, type Answer, type Principal, type Wire } from './wire.js';

export type Era = 'modern' | 'legacy';

const CLIENT_INFO = { name: 'sessionless-harness-check', version: '0.1.0' };

export class CheckClient {
  /** Tools by name, from instance 1's list; set once it has been read. */
  tools = new Map<string, ToolInfo>();
  /** Calls to tools not annotated read-only, by tool. */
  readonly writes = new Map<string, number>();
  private readonly sessions = new Map<string, Promise<string | null>>();

  constructor(
    readonly wire: Wire,
    public era: Era,
  ) {}

  /** A 2025-11-25 `initialize` and `notifications/initialized` on `instance`, as a fresh client. */
  async initialize(instance: number, principal: Principal): Promise<{ answer: Answer; sessionId: string | null }> {
    const answer = await this.wire.legacy(
      instance,
      'initialize',
      { protocolVersion: LEGACY, capabilities: {}, clientInfo: CLIENT_INFO },
      { principal },
    );
    if (answer.message?.result) {
      await this.wire.legacy(
        instance,
        'notifications/initialized',
        {},
        {
          principal,
          sessionId: answer.sessionId,
          notification: true,
        },
      );
    }
    return { answer, sessionId: answer.sessionId };
  }

  /** Keeps a session `initialize` opened, for the legacy era's later requests on that instance. */
  adoptSession(instance: number, principal: Principal, sessionId: string | null): void {
    this.sessions.set(`${instance}:${principal.name}`, Promise.resolve(sessionId));
  }

  /** Any request in the server's era: `server/discover`, a list, a tool call. */
  async request(
    instance: number,
    method: string,
    params: Record<string, unknown>,
    principal: Principal,
    extra: { name?: string; paramHeaders?: Record<string, string> } = {},
  ): Promise<Answer> {
    if (this.era === 'modern') return this.wire.modern(instance, method, params, { principal, ...extra });
    const sessionId = await this.session(instance, principal);
    return this.wire.legacy(instance, method, params, { principal, sessionId });
  }

  async call(
    instance: number,
    tool: string,
    args: Record<string, unknown>,
    principal: Principal,
  ): Promise<ToolOutcome> {
    const info = this.tools.get(tool);
    if (!info?.readOnly) this.writes.set(tool, (this.writes.get(tool) ?? 0) + 1);
    const answer = await this.request(instance, 'tools/call', { name: tool, arguments: args }, principal, {
      name: tool,
      paramHeaders: paramHeaders(info, args),
    });
    return outcomeOf(answer.message?.result, answer.message?.result ? null : failureOf(answer));
  }

  /** Ends every session this client opened, as a 2025-11-25 client does when it closes. */
  async close(principals: Principal[]): Promise<void> {
    for (const [key, pending] of this.sessions) {
      const sessionId = await pending.catch(() => null);
      const [instance, name] = key.split(':');
      const principal = principals.find((p) => p.name === name);
      if (sessionId && principal) await this.wire.endSession(Number(instance), sessionId, principal);
    }
  }

  private session(instance: number, principal: Principal): Promise<string | null> {
    const key = `${instance}:${principal.name}`;
    let pending = this.sessions.get(key);
    if (!pending) {
      pending = this.initialize(instance, principal).then(({ sessionId }) => sessionId);
      this.sessions.set(key, pending);
    }
    return pending;
  }
}
