/**
 * The claim the harness measures, asserted with exact numbers: S subagents plus an orchestrator
 * on M servers cost (S+1) x M `initialize` and `tools/list` round trips as session-era clients,
 * (S+1) x M `server/discover` and `tools/list` (no `initialize`) as sessionless clients that each
 * cache for themselves, and M of each as sessionless clients sharing one cache; and every count
 * the clients made equals what the servers' /metrics counted.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/index.js';
import { alive, announcedPids, runCli } from './helpers.js';

const S = 2;
const SERVERS = ['cart', 'workspace', 'browser'];
const M = SERVERS.length;

describe('run shopping-team', () => {
  it(`with ${S} subagents: list re-fetches follow each policy's formula and client counts equal /metrics`, async () => {
    const { code, stdout, stderr } = await runCli(['run', 'shopping-team', '--subagents', String(S), '--json', '-']);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report).toMatchObject({ schema: 'sessionless-harness/report@1', ok: true, subagents: [S] });
    expect(report.runs.map((r) => r.policy)).toEqual(['session-era', 'sessionless-own-cache', 'sessionless']);
    const [era, own, less] = report.runs as [Report['runs'][0], Report['runs'][0], Report['runs'][0]];

    const perServer = (run: typeof era, method: string) =>
      Object.fromEntries(
        run.perServer.map((s) => [s.server, s.methods.find((m) => m.method === method)?.client.requests]),
      );
    // Session-era: every actor (S subagents + the orchestrator) initializes and lists on every server.
    for (const method of ['initialize', 'notifications/initialized', 'tools/list', 'GET /mcp']) {
      expect(perServer(era, method), method).toEqual({ cart: S + 1, workspace: S + 1, browser: S + 1 });
      expect(era.totals[method]!.requests, method).toBe((S + 1) * M);
    }
    expect(era.totals['server/discover']!.requests).toBe(0);
    // Sessionless, each actor with its own cache: no handshake, but every actor discovers and lists every server.
    for (const method of ['server/discover', 'tools/list']) {
      expect(perServer(own, method), method).toEqual({ cart: S + 1, workspace: S + 1, browser: S + 1 });
      expect(own.totals[method]!.requests, method).toBe((S + 1) * M);
    }
    expect(own.totals.initialize!.requests).toBe(0);
    expect(own.totals['notifications/initialized']!.requests).toBe(0);
    expect(own.totals['GET /mcp']).toBeUndefined();
    // Sessionless: the orchestrator discovers and lists once per server; subagents hit the shared cache.
    for (const method of ['server/discover', 'tools/list']) {
      expect(perServer(less, method), method).toEqual({ cart: 1, workspace: 1, browser: 1 });
      expect(less.totals[method]!.requests, method).toBe(M);
    }
    expect(less.totals.initialize!.requests).toBe(0);
    expect(less.totals['GET /mcp']).toBeUndefined();

    // The numbers written beside each policy's definition are the ones just asserted.
    const written = (run: typeof era) => Object.fromEntries(Object.entries(run.expected).filter(([, n]) => n > 0));
    expect(written(era)).toEqual({
      initialize: (S + 1) * M,
      'notifications/initialized': (S + 1) * M,
      'tools/list': (S + 1) * M,
      'GET /mcp': (S + 1) * M,
    });
    expect(written(own)).toEqual({ 'server/discover': (S + 1) * M, 'tools/list': (S + 1) * M });
    expect(written(less)).toEqual({ 'server/discover': M, 'tools/list': M });

    // The same scripted work under every policy.
    expect(era.totals['tools/call']!.requests).toBeGreaterThan(10 * S);
    expect(own.totals['tools/call']!.requests).toBe(era.totals['tools/call']!.requests);
    expect(less.totals['tools/call']!.requests).toBe(era.totals['tools/call']!.requests);

    // Server-side counts equal client-side counts, per server and method, requests and bytes.
    for (const run of report.runs) {
      expect(run.perServer.map((s) => s.server)).toEqual(SERVERS);
      for (const server of run.perServer) {
        for (const m of server.methods.filter((x) => x.method !== 'GET /mcp')) {
          expect(m.server, `${run.policy} ${server.server} ${m.method}`).toEqual(m.client);
        }
      }
      expect(run.agree).toBe(true);
      expect(run.checks.filter((c) => !c.ok)).toEqual([]);
    }

    // The human table went to stderr, and every server the harness started is gone.
    expect(stderr).toMatch(/client = server \/metrics\s+yes \(15\/15\)\s+yes \(15\/15\)\s+yes \(15\/15\)/);
    const pids = announcedPids(stderr);
    expect(pids).toHaveLength(M);
    expect(pids.filter(alive)).toEqual([]);
  });
});
