/**
 * `check` against real instances, started once for the file: two cart processes on one store
 * (anonymous, as `npm run dev` starts them; and with JWT auth for two principals) pass every check
 * and leave no handle behind; two session-scoped carts fail "no sessions" and "state on another
 * instance" with the instance, the session id and the 404 they got.
 */
import { join } from 'node:path';
import { signDevToken } from '@sessionless/kit';
import { connectModern, startServerProcess, tempDir, type ServerProcess } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/check/check.js';
import { freePort } from '../src/fleet/process.js';
import type { CheckReport } from '../src/check/report.js';
import { REPO_ROOT, runCli } from './helpers.js';

const SECRET = 'check-test-secret-of-at-least-32-characters';
const cartEntry = join(REPO_ROOT, 'servers/cart/dist/main.js');
const store = tempDir('check-test-');
let carts: ServerProcess[] = [];
let securedCarts: ServerProcess[] = [];
let sessionCarts: ServerProcess[] = [];
let workspaces: ServerProcess[] = [];

beforeAll(async () => {
  const start = (entry: string, env: Record<string, string> = {}) =>
    startServerProcess({ entry, env: { DATA_DIR: store.path, ...env }, timeoutMs: 60_000 });
  const workspace = join(REPO_ROOT, 'servers/workspace/dist/main.js');
  [carts, securedCarts, sessionCarts, workspaces] = await Promise.all([
    Promise.all([
      start(cartEntry, { DATA_DIR: join(store.path, 'open') }),
      start(cartEntry, { DATA_DIR: join(store.path, 'open') }),
    ]),
    Promise.all([start(cartEntry, { JWT_SECRET: SECRET }), start(cartEntry, { JWT_SECRET: SECRET })]),
    Promise.all([0, 1].map(() => start(join(REPO_ROOT, 'servers/session-cart/dist/main.js')))),
    Promise.all([0, 1].map(() => start(workspace))),
  ]);
}, 90_000);

afterAll(async () => {
  await Promise.all([...carts, ...securedCarts, ...sessionCarts, ...workspaces].map((s) => s.stop()));
  store.remove();
});

const statusOf = (report: CheckReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
const find = (report: CheckReport, id: string) => report.checks.find((c) => c.id === id)!;

describe('check: the cart server, two instances', () => {
  it('npx sessionless-harness check URL URL: every check passes, handles made and destroyed', async () => {
    const result = await runCli(['check', carts[0]!.url, carts[1]!.url, '--json', '-']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report).toMatchObject({ schema: 'sessionless-harness/check@1', ok: true, era: 'modern' });
    expect(report.counts).toMatchObject({ fail: 0, warn: 0 });
    expect(statusOf(report)).toMatchObject({
      'lists.identical-across-instances': 'pass',
      'lists.unchanged-by-calls': 'pass',
      'lists.stable-tool-set': 'pass',
      'lists.deterministic-order': 'pass',
      'lists.cache-hints': 'pass',
      'sessions.no-session-id': 'pass',
      'sessions.initialize-elsewhere': 'pass',
      'handles.other-instance': 'pass',
      'handles.bad-ids': 'pass',
      'handles.entropy': 'pass',
      'handles.routing-header': 'pass',
    });
    // Anonymous servers have one principal: those checks say so instead of passing.
    expect(find(report, 'handles.other-principal')).toMatchObject({
      status: 'skip',
      detail: expect.stringMatching(/without a token/),
    });
    expect(report.handles).toEqual([
      expect.objectContaining({
        argument: 'cart_id',
        create: 'cart_create',
        read: 'cart_get',
        destroy: 'cart_destroy',
      }),
    ]);
    expect(report.writes).toEqual({
      policy: 'handle-probes',
      calls: { cart_create: 3, cart_destroy: 3 },
      leftBehind: [],
    });
    expect(result.stderr).toMatch(/PASSED: every check that ran passed \(11 passed; 2 not applicable or not run\)/);
    // And the server agrees: no cart of the check's principal is left on either instance.
    const client = await connectModern(carts[1]!.url);
    const listed = await client.callTool({ name: 'cart_list', arguments: {} });
    await client.close();
    expect(listed.structuredContent).toMatchObject({ carts: [] });
  });

  it('with two principals (JWT): the same lists for both, and B is answered as for an unknown cart_id', async () => {
    const [token, tokenB] = await Promise.all(['alice', 'bob'].map((sub) => signDevToken(SECRET, sub)));
    const report = await runCheck({ urls: securedCarts.map((s) => s.url), token, tokenB });
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(find(report, 'lists.identical-across-principals').detail).toMatch(/the same bytes for principals A and B/);
    expect(find(report, 'handles.other-principal').detail).toMatch(
      /^principal B got the same tool error for A's cart_id as for one that never existed: "Cart cart_\S+ was not found/,
    );
    expect(report.principals).toEqual({ a: 'token', b: 'token' });
  });

  it('--read-only writes nothing: the handle checks that need a cart say they did not run', async () => {
    const report = await runCheck({ urls: carts.map((s) => s.url), policy: 'read-only' });
    expect(report.writes.calls).toEqual({});
    expect(find(report, 'handles.other-instance')).toMatchObject({
      status: 'skip',
      detail: expect.stringMatching(/^not run: --read-only forbids cart_create/),
    });
    expect(find(report, 'handles.entropy').status).toBe('skip');
    // Refusing bad ids needs no cart of its own.
    expect(find(report, 'handles.bad-ids').status).toBe('pass');
    expect(report.ok).toBe(true);
  });

  it('bad input: a refused token, and an instance that is not there, are one sentence each (exit 2)', async () => {
    await expect(runCheck({ urls: securedCarts.map((s) => s.url) })).rejects.toThrow(
      /^instance 1 \(http:\/\/127\.0\.0\.1:\d+\/mcp\) refused the request with HTTP 401: pass a valid bearer token with --token TOKEN/,
    );
    const nothing = `http://127.0.0.1:${await freePort()}/mcp`;
    await expect(runCheck({ urls: [carts[0]!.url, nothing] })).rejects.toThrow(
      `cannot reach instance 2 at ${nothing} (ECONNREFUSED); is the server running?`,
    );
  });
});

describe('check: the workspace server, two instances', () => {
  it('every check that applies passes; its one kind, workspace_id, is found and its forks left alone', async () => {
    const report = await runCheck({ urls: workspaces.map((s) => s.url) });
    expect(report.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip')).toEqual([]);
    expect(report.checks.filter((c) => c.status === 'skip').map((c) => c.id)).toEqual([
      'lists.identical-across-principals',
      'handles.other-principal',
    ]);
    expect(report.handles).toEqual([
      expect.objectContaining({ argument: 'workspace_id', create: 'workspace_create', read: 'workspace_list_files' }),
    ]);
    expect(report.writes.calls).toEqual({ workspace_create: 3, workspace_destroy: 3 });
    expect(report.writes.leftBehind).toEqual([]);
  });
});

describe('check: the session-scoped cart, two instances', () => {
  it('fails "no sessions" and "state on another instance", naming the session and the 404', async () => {
    const result = await runCli(['check', ...sessionCarts.map((s) => s.url), '--json', '-', '--quiet']);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report.era).toBe('legacy');
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([
      'sessions.no-session-id',
      'sessions.initialize-elsewhere',
      'handles.none',
    ]);
    expect(find(report, 'sessions.no-session-id').detail).toMatch(
      /^instance 1 answered initialize with Mcp-Session-Id [0-9a-f-]{36}/,
    );
    expect(find(report, 'sessions.initialize-elsewhere').detail).toMatch(
      /on instance 2 got HTTP 404 \(JSON-RPC error -32001: Session not found/,
    );
    expect(find(report, 'handles.none').detail).toMatch(/lives in the MCP session instance 1 minted/);
    expect(find(report, 'lists.identical-across-instances').status).toBe('pass');
    expect(result.stderr).toMatch(/What to fix:[\s\S]*fix: Mint no session/);
  });
});
