/**
 * The claim the harness measures, asserted with exact numbers: S subagents plus an orchestrator
 * on M servers cost (S+1) x M `initialize` and `tools/list` round trips as session-era clients
 * and M `tools/list` (plus M `server/discover`, no `initialize`) as sessionless clients sharing
 * one cache; and every count the clients made equals what the servers' /metrics counted.
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
    expect(report.runs.map((r) => r.policy)).toEqual(['session-era', 'sessionless']);
    const [era, less] = report.runs as [Report['runs'][0], Report['runs'][0]];

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
    // Sessionless: the orchestrator discovers and lists once per server; subagents hit the shared cache.
    for (const method of ['server/discover', 'tools/list']) {
      expect(perServer(less, method), method).toEqual({ cart: 1, workspace: 1, browser: 1 });
      expect(less.totals[method]!.requests, method).toBe(M);
    }
    expect(less.totals.initialize!.requests).toBe(0);
    expect(less.totals['GET /mcp']).toBeUndefined();

    // The same scripted work under both policies.
    expect(era.totals['tools/call']!.requests).toBeGreaterThan(10 * S);
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
    expect(stderr).toMatch(/client = server \/metrics\s+yes \(15\/15\)\s+yes \(15\/15\)/);
    const pids = announcedPids(stderr);
    expect(pids).toHaveLength(M);
    expect(pids.filter(alive)).toEqual([]);
  });
});
