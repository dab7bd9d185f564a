/**
 * An actor is one scripted MCP client (the orchestrator or a subagent; no model in the loop),
 * connected to every server of the scenario under one client policy. `call` is for steps that
 * must succeed: a tool error fails the scenario loudly, naming the actor, the tool and the
 * server's sentence. `attempt` returns the result as it is, for steps that expect a refusal.
 */
import { errorCodeOf } from '@sessionless/kit';
import type { Endpoint } from '../fleet/fleet.js';
import type { ServerName } from '../fleet/servers.js';
import { ScenarioFailure } from '../shared/errors.js';
import type { ClientPolicy, Connection, Role, ToolResult } from './policies.js';

export class Actor {
  private constructor(
    readonly name: string,
    private readonly connections: Map<ServerName, Connection>,
  ) {}

  static async connect(policy: ClientPolicy, endpoints: Endpoint[], role: Role, name: string): Promise<Actor> {
    const connections = new Map<ServerName, Connection>();
    const outcomes = await Promise.allSettled(
      endpoints.map(async (endpoint) => connections.set(endpoint.name, await policy.connect(endpoint, role, name))),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) {
      await Promise.allSettled([...connections.values()].map((c) => c.close()));
      throw new ScenarioFailure(`${name} could not connect (${policy.name}): ${(failed.reason as Error).message}`);
    }
    return new Actor(name, connections);
  }

  async attempt(server: ServerName, tool: string, args: Record<string, unknown>): Promise<ToolResult> {
    const connection = this.connections.get(server);
    if (!connection) throw new ScenarioFailure(`${this.name} is not connected to the ${server} server`);
    try {
      return await connection.callTool(tool, args);
    } catch (error) {
      throw new ScenarioFailure(`${this.name}: ${tool} failed on the ${server} server: ${(error as Error).message}`);
    }
  }

  async call<T = Record<string, unknown>>(server: ServerName, tool: string, args: Record<string, unknown>): Promise<T> {
    const result = await this.attempt(server, tool, args);
    if (result.isError) {
      const code = errorCodeOf(result) ?? 'no code';
      throw new ScenarioFailure(`${this.name}: ${tool} returned an error (${code}): ${textOf(result)}`);
    }
    return (result.structuredContent ?? {}) as T;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.connections.values()].map((c) => c.close()));
  }
}

export function textOf(result: ToolResult): string {
  const content = Array.isArray(result.content) ? (result.content as Array<{ type?: string; text?: string }>) : [];
  return content
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('\n');
}
