/**
 * Beyond one host for real, where root, iproute2 and PostgreSQL's binaries allow: scale over two
 * simulated hosts with a host killed and PostgreSQL restarted (no error, invariants held, faults
 * counted and retried, nothing left behind, also after Ctrl-C); the demo's state in a given
 * PostgreSQL with all its checks, and in one of its own (stopped after, also when its reader goes
 * away mid-run); and one sentence when the server binaries are hidden.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findPostgresBinaries, startPostgresCluster, type PostgresCluster } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostsProblem } from '../src/fleet/hosts.js';
import type { ScaleReport, ScaleRun } from '../src/scale/report/schema.js';
import { alive, announcedPids, errorLines, REPO_ROOT, runCli, type CliResult } from './helpers.js';

const postgres = findPostgresBinaries();
const dir = mkdtempSync(join(tmpdir(), 'scale-hosts-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failedAttempts = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

function expectClean(run: ScaleRun, minimumCalls: number) {
  expect(run.store).toBe('postgres');
  expect(run.hosts).toBe(2);
  expect(run.succeeded).toBeGreaterThanOrEqual(minimumCalls);
  expect(run.errors).toEqual({});
  expect(run.invariants.length).toBeGreaterThan(0);
  for (const invariant of run.invariants) expect(invariant.ok, invariant.detail).toBe(true);
  expect(run.ok).toBe(true);
}

describe.runIf(postgres && hostsProblem() === null)('scale --store postgres --hosts 2', () => {
  let result: CliResult;
  let report: ScaleReport;
  const json = join(dir, 'hosts.json');

  beforeAll(async () => {
    result = await runCli([
      'scale',
      '--quick',
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
    expectClean(run('none'), 20);
  });

  it('killing one host loses nothing: the failed attempts are counted and every retry succeeded', () => {
    const killed = run('kill');
    expectClean(killed, 10);
    expect(killed.failover!.host).toBe(2);
    expect(killed.failover!.instances).toEqual([1]);
    expect(killed.failover!.pids).toHaveLength(3);
    expect(failedAttempts(killed.failover!.failedAttempts)).toBeGreaterThan(0);
    expect(killed.failover!.retriedOk).toBe(killed.failover!.retried);
    expect(killed.failover!.notRetried).toBe(0);
  });

  it('restarting PostgreSQL mid-run: refusals counted, retried by the rules, nothing lost, no server crashed', () => {
    const restarted = run('restart');
    expectClean(restarted, 10);
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
    const pids = announcedPids(result.stderr);
    expect(pids.length).toBeGreaterThanOrEqual(9);
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
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'harness', 'src', 'cli.ts'),
        'scale',
        '--quick',
        '--store',
        'postgres',
      ].concat(['--hosts', '2', '--workload', 'cart', '--routing', 'nginx-least-connections', '--skip-baselines']),
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

describe.runIf(postgres)('run shopping-team on PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => void (cluster = await startPostgresCluster()), 60_000);
  afterAll(() => cluster?.stop());

  it('passes every check with its state in the PostgreSQL given with --database-url', async () => {
    const result = await runCli([
      'run',
      'shopping-team',
      '--database-url',
      cluster.url,
      '--policy',
      'sessionless',
      '--subagents',
      '1',
    ]);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stdout).toMatch(/checks\s+7\/7 passed/);
    // The checkout's order is a row in the cart server's schema: the state went to PostgreSQL.
    const psql = join(postgres!, 'psql');
    const orders = execFileSync(psql, ['-At', '-c', 'SELECT count(*) FROM cart.orders', cluster.url], {
      encoding: 'utf8',
    });
    expect(Number(orders.trim())).toBe(1);
    expect(announcedPids(result.stderr).filter(alive)).toEqual([]);
  });
});

describe.runIf(postgres)('run shopping-team --store postgres', () => {
  /** Where the run's own PostgreSQL lived, from its start-up line. */
  const dataDirOf = (stderr: string) => /for the run at \S+, in (\S+sessionless-pg-\S+)/.exec(stderr)?.[1];
  const gone = (data: string) => !existsSync(data) && spawnSync('pgrep', ['-f', data]).status === 1;

  it('starts a PostgreSQL of its own, passes the same 7 checks under every policy, and stops it', async () => {
    const result = await runCli(['run', 'shopping-team', '--store', 'postgres']);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stdout).toMatch(/checks\s+7\/7 passed\s+7\/7 passed\s+7\/7 passed/);
    const data = dataDirOf(result.stderr);
    expect(data).toBeDefined();
    expect(gone(data!)).toBe(true);
    expect(announcedPids(result.stderr).filter(alive)).toEqual([]);
  }, 240_000);

  it('a reader that goes away mid-run (| head) stops the servers and PostgreSQL before the harness exits', async () => {
    const args = ['run', 'shopping-team', '--store', 'postgres', '--policy', 'sessionless', '--subagents', '1'];
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'harness', 'src', 'cli.ts'), ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    // Gone once every server is up: the harness's next progress line meets a closed pipe.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if ((stderr.match(/ is listening at /g) ?? []).length === 3) resolve();
      });
      void exited.then(() => reject(new Error(`exited before its servers were up:\n${stderr.slice(-2000)}`)));
    });
    child.stdout.destroy();
    child.stderr.destroy();
    expect(await exited).toBe(141);
    expect(announcedPids(stderr)).toHaveLength(3);
    expect(announcedPids(stderr).filter(alive)).toEqual([]);
    expect(gone(dataDirOf(stderr)!)).toBe(true);
  }, 120_000);
});

describe.runIf(postgres && process.getuid?.() === 0)('--hosts as an unprivileged user', () => {
  it('says in one sentence that it needs root and exits 2, starting nothing', () => {
    const cli = join(REPO_ROOT, 'harness', 'src', 'cli.ts');
    const result = spawnSync(
      'runuser',
      ['-u', 'postgres', '--', process.execPath, '--import', 'tsx', cli, 'scale', '--quick'].concat([
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
    const cli = join(REPO_ROOT, 'harness', 'src', 'cli.ts');
    const hide = `mount -t tmpfs none ${dirname(postgres!)} && exec "$0" --import tsx "$@"`;
    const result = spawnSync(
      'unshare',
      ['-m', 'sh', '-c', hide, process.execPath, cli, 'scale', '--quick', '--store', 'postgres'],
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
