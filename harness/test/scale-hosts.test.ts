/**
 * Beyond one host for real, where root, iproute2 and PostgreSQL's binaries allow: scale over two
 * simulated hosts with a host killed and PostgreSQL restarted (no error, invariants held, faults
 * counted and retried, nothing left behind, also after Ctrl-C); and one sentence when root or the
 * server binaries are missing. (`run` on PostgreSQL: run-postgres.test.ts.)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findPostgresBinaries } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostsProblem } from '../src/fleet/hosts.js';
import type { ScaleReport, ScaleRun } from '../src/scale/report/schema.js';
import { alive, announcedPids, CLI, errorLines, REPO_ROOT, runCli, type CliResult } from './helpers.js';
import { expectClean, SHORT_WINDOWS } from './scale-run.js';

const postgres = findPostgresBinaries();
const dir = mkdtempSync(join(tmpdir(), 'scale-hosts-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failedAttempts = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** A clean run (scale-run.ts), on PostgreSQL across the two hosts. */
function expectCleanOnHosts(run: ScaleRun, minimumCalls: number) {
  expect(run.store).toBe('postgres');
  expect(run.hosts).toBe(2);
  expectClean(run, minimumCalls);
}

describe.runIf(postgres && hostsProblem() === null)('scale --store postgres --hosts 2', () => {
  let result: CliResult;
  let report: ScaleReport;
  const json = join(dir, 'hosts.json');

  beforeAll(async () => {
    result = await runCli([
      'scale',
      '--quick',
      ...SHORT_WINDOWS,
      '--restart-database-at',
      '0.5',
      '--store',
      'postgres',
      '--hosts',
      '2',
      '--workload',
      'cart',
      '--routing',
      'least-connections',
      '--skip-baselines',
      '--json',
      json,
    ]);
    if (!existsSync(json)) throw new Error(`no report written:\n${result.stderr.slice(-2000)}`);
    report = JSON.parse(readFileSync(json, 'utf8')) as ScaleReport;
  }, 180_000);

  const run = (fault: 'none' | 'kill' | 'restart') => {
    const found = report.runs.find((r) =>
      fault === 'kill' ? r.failover : fault === 'restart' ? r.databaseRestart : !r.failover && !r.databaseRestart,
    );
    if (!found) throw new Error(`no ${fault} run in the report`);
    return found;
  };

  it('passes on two hosts and a database, each in its own namespace with its own address', () => {
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const t = report.topology!;
    expect(t.hosts).toHaveLength(2);
    const addresses = [t.loadGenerator, t.database.address, t.balancer.address, ...t.hosts.map((h) => h.address)];
    expect(new Set(addresses).size).toBe(5);
    expect(report.machine.postgres).toMatch(/^PostgreSQL \d+/);
  });

  it('least connections over the hosts completes the cart workload with no error and every add present', () => {
    expectCleanOnHosts(run('none'), 5);
  });

  it('killing one host loses nothing: the failed attempts are counted and every retry succeeded', () => {
    const killed = run('kill');
    expectCleanOnHosts(killed, 3);
    expect(killed.failover!.host).toBe(2);
    expect(killed.failover!.instances).toEqual([1]);
    // The cart workload's fleet runs only the cart server: one process on the killed host.
    expect(killed.failover!.pids).toHaveLength(1);
    expect(failedAttempts(killed.failover!.failedAttempts)).toBeGreaterThan(0);
    expect(killed.failover!.retriedOk).toBe(killed.failover!.retried);
    expect(killed.failover!.notRetried).toBe(0);
  });

  it('restarting PostgreSQL mid-run: refusals counted, retried by the rules, nothing lost, no server crashed', () => {
    const restarted = run('restart');
    expectCleanOnHosts(restarted, 3);
    const d = restarted.databaseRestart!;
    expect(d.tookMs).toBeGreaterThan(0);
    expect(failedAttempts(d.failedAttempts)).toBeGreaterThan(0);
    for (const kind of Object.keys(d.failedAttempts)) expect(kind).toMatch(/^tool error STORE_(UNAVAILABLE|BUSY)/);
    expect(d.retried).toBeGreaterThan(0);
    expect(d.retriedOk).toBe(d.retried);
    expect(d.notRetried).toBe(0);
    expect(restarted.invariants.map((i) => i.name)).toContain('no server process exited on its own');
  });

  it("measures PostgreSQL's own ceiling with 1 and 4 connections", () => {
    expect(report.postgresCeiling!.oneConnection).toBeGreaterThan(0);
    expect(report.postgresCeiling!.connections).toBe(4);
    expect(report.postgresCeiling!.manyConnections).toBeGreaterThan(0);
  });

  it('leaves no namespace, link, process or database directory behind', () => {
    const prefix = /hosts (slh\d+)-h1 /.exec(result.stderr)?.[1];
    expect(prefix).toBeDefined();
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`${prefix}-`);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(`${prefix}`);
    // Two cart instances in each of the three fleets (clean, host killed, PostgreSQL restarted).
    const pids = announcedPids(result.stderr);
    expect(pids.length).toBeGreaterThanOrEqual(6);
    expect(pids.filter(alive)).toEqual([]);
    const data = /PostgreSQL [\d.]+ for the run at \S+ \(its own namespace\), in (\S+)/.exec(result.stderr)?.[1];
    expect(data).toBeDefined();
    expect(existsSync(data!)).toBe(false);
    expect(spawnSync('pgrep', ['-f', data!]).status).toBe(1);
  });
});

describe.runIf(postgres && hostsProblem() === null)('scale --hosts 2, interrupted', () => {
  it('Ctrl-C mid-run stops the servers, nginx and PostgreSQL and removes the network', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'scale', '--quick', '--store', 'postgres', '--hosts', '2', '--workload', 'cart'].concat([
        '--routing',
        'nginx-least-connections',
        '--skip-baselines',
      ]),
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    // Interrupted once the first measured run has begun: network, database, fleet and nginx all up.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/K=2 nginx-least-connections: workload cart/.test(stderr)) resolve();
      });
      void exited.then(() => reject(new Error(`exited before its first run:\n${stderr.slice(-2000)}`)));
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const prefix = /hosts (slh\d+)-h1 /.exec(stderr)![1]!;
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`${prefix}-`);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(prefix);
    expect(announcedPids(stderr).filter(alive)).toEqual([]);
    const data = /\), in (\S+sessionless-pg-\S+)/.exec(stderr)![1]!;
    expect(existsSync(data)).toBe(false);
    expect(spawnSync('pgrep', ['-f', data]).status).toBe(1);
  }, 120_000);
});

describe.runIf(postgres && process.getuid?.() === 0)('--hosts as an unprivileged user', () => {
  it('says in one sentence that it needs root and exits 2, starting nothing', () => {
    const result = spawnSync(
      'runuser',
      ['-u', 'postgres', '--', process.execPath, CLI, 'scale', '--quick'].concat([
        '--store',
        'postgres',
        '--hosts',
        '2',
      ]),
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status, result.stderr).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      expect.stringMatching(
        /--hosts makes network namespaces, which needs root and iproute2, and root is missing here/,
      ),
    ]);
    expect(announcedPids(result.stderr)).toEqual([]);
  });
});

describe.runIf(postgres && process.getuid?.() === 0)('--store postgres without the server binaries', () => {
  it('says what to install in one sentence and exits 2, starting nothing', () => {
    // The binaries hidden under an empty tmpfs, in a mount namespace of this command's own.
    const hide = `mount -t tmpfs none ${dirname(postgres!)} && exec "$0" "$@"`;
    const result = spawnSync(
      'unshare',
      ['-m', 'sh', '-c', hide, process.execPath, CLI, 'scale', '--quick', '--store', 'postgres'],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status, result.stderr).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      expect.stringMatching(
        /PostgreSQL server binaries \(initdb, pg_ctl\) were not found: install them .*--database-url$/,
      ),
    ]);
    expect(announcedPids(result.stderr)).toEqual([]);
  });
});
