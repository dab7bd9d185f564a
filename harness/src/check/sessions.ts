/**
 * The session checks: no answer of the whole run carried an `Mcp-Session-Id`; and a 2025-11-25
 * client that sent `initialize` to instance 1 can go on on instance 2, as it must behind a load
 * balancer without affinity (it sends back whatever session id it was given, as clients do).
 */
import type { CheckClient } from './client.js';
import type { CheckResult } from './report.js';
import { fillArguments } from './tools.js';
import { failureOf, LEGACY, type Answer, type Exchange, type Principal } from './wire.js';

type Result = Omit<CheckResult, 'id' | 'group' | 'subject' | 'name'>;

/** What happened to a session started on instance 1 and used on instance 2. */
export interface CarriedSession {
  result: Result;
  /** The session id instance 1 gave, or null. */
  sessionId: string | null;
  /** The first request on instance 2 that failed, and how. */
  failure: string | null;
}

const session = (id: string, name: string, result: Result): CheckResult => ({
  id: `sessions.${id}`,
  group: 'sessions',
  subject: null,
  name,
  ...result,
});

export async function carrySession(client: CheckClient, principal: Principal): Promise<CarriedSession> {
  const { wire } = client;
  if (wire.instances < 2) {
    return {
      result: skipped('one instance given: pass two or more URLs of the same server.'),
      sessionId: null,
      failure: null,
    };
  }
  const init = await wire.legacy(
    0,
    'initialize',
    { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'sessionless-harness-check', version: '0.1.0' } },
    { principal },
  );
  if (!init.message?.result) {
    const detail = `the server does not serve 2025-11-25 clients (initialize: ${failureOf(init)}), so there is nothing to carry over.`;
    return { result: skipped(detail), sessionId: null, failure: null };
  }
  const sessionId = init.sessionId;
  const readOnly = [...client.tools.values()].find((t) => t.readOnly && fillArguments(t) !== null);
  const steps: Array<[string, () => Promise<Answer>]> = [
    [
      'notifications/initialized',
      () => wire.legacy(1, 'notifications/initialized', {}, { principal, sessionId, notification: true }),
    ],
    ['tools/list', () => wire.legacy(1, 'tools/list', {}, { principal, sessionId, id: 2 })],
  ];
  if (readOnly) {
    const args = fillArguments(readOnly)!;
    steps.push([
      `tools/call ${readOnly.name}`,
      () => wire.legacy(1, 'tools/call', { name: readOnly.name, arguments: args }, { principal, sessionId, id: 3 }),
    ]);
  }
  for (const [what, send] of steps) {
    const answer = await send();
    const ok =
      answer.status >= 200 &&
      answer.status < 300 &&
      (what.startsWith('notifications/') || answer.message?.result !== undefined);
    if (!ok) {
      const failure = `${what} on instance 2 got ${failureOf(answer)}`;
      if (sessionId) await wire.endSession(0, sessionId, principal);
      return {
        result: {
          status: 'fail',
          detail: `initialize on instance 1 ${sessionId ? `gave Mcp-Session-Id ${sessionId}; in that session ` : 'then '}${failure}.`,
          fix: 'Serve 2025-11-25 clients statelessly: no session id, every request complete on its own (createMcpHandler(factory, { legacy: "stateless" }), or sessionIdGenerator: undefined in SDK v1).',
        },
        sessionId,
        failure,
      };
    }
  }
  await (sessionId ? wire.endSession(0, sessionId, principal) : Promise.resolve());
  const calls = steps.map(([what]) => what).join(', ');
  return {
    result: {
      status: 'pass',
      detail: `initialize on instance 1, then ${calls} on instance 2: every answer complete.`,
      fix: null,
    },
    sessionId,
    failure: null,
  };
}

export function sessionChecks(exchanges: Exchange[], carried: CarriedSession): CheckResult[] {
  const minted = exchanges.filter((e) => e.sessionId !== null);
  const instances = new Set(exchanges.map((e) => e.instance)).size;
  const eras = [...new Set(exchanges.map((e) => (e.era === 'modern' ? '2026-07-28' : '2025-11-25')))].join(' and ');
  const first = minted[0];
  return [
    session(
      'no-session-id',
      'no Mcp-Session-Id ever minted',
      first
        ? {
            status: 'fail',
            detail:
              `instance ${first.instance + 1} answered ${first.method} with Mcp-Session-Id ${first.sessionId} ` +
              `(${minted.length} of ${exchanges.length} answers carried one): a client sends it back on every request, so each must reach that instance.`,
            fix: 'Mint no session: serve statelessly and put state the client needs in explicit handles (a *_create tool returning an id other tools take).',
          }
        : {
            status: 'pass',
            detail: `${exchanges.length} answers from ${instances} instance${instances === 1 ? '' : 's'} (${eras}, initialize included): none carried Mcp-Session-Id.`,
            fix: null,
          },
    ),
    session('initialize-elsewhere', '2025-11-25 initialize on 1, calls on 2 work', carried.result),
  ];
}

/** With no handle in the tool list, a minted session is where the server keeps state. */
export function sessionStateCheck(carried: CarriedSession): Result | null {
  if (!carried.sessionId) return null;
  return carried.failure
    ? {
        status: 'fail',
        detail: `no tool takes a handle, so whatever the server keeps between calls lives in the MCP session instance 1 minted (${carried.sessionId}); in that session ${carried.failure}.`,
        fix: 'Move the state into explicit handles kept in a shared store: a *_create tool returns an id that the other tools take.',
      }
    : {
        status: 'warn',
        detail: `no tool takes a handle, and the server minted session ${carried.sessionId}, which instance 2 accepted: state kept in sessions must then live in a shared store.`,
        fix: 'Prefer explicit handles to sessions: 2026-07-28 clients have no session to send.',
      };
}

const skipped = (detail: string): Result => ({ status: 'skip', detail, fix: null });
