/**
 * The demo on PostgreSQL, where its binaries are installed: its state in a given PostgreSQL with
 * all its checks, and in one of its own (stopped after, also when its reader goes away mid-run).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findPostgresBinaries, startPostgresCluster, type PostgresCluster } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, announcedPids, CLI, REPO_ROOT, runCli } from './helpers.js';

const postgres = findPostgresBinaries();

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
    const result = await runCli(['run', 'shopping-team', '--store', 'postgres', '--subagents', '1']);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stdout).toMatch(/checks\s+7\/7 passed\s+7\/7 passed\s+7\/7 passed/);
    const data = dataDirOf(result.stderr);
    expect(data).toBeDefined();
    expect(gone(data!)).toBe(true);
    expect(announcedPids(result.stderr).filter(alive)).toEqual([]);
  }, 240_000);

  it('a reader that goes away mid-run (| head) stops the servers and PostgreSQL before the harness exits', async () => {
    const args = ['run', 'shopping-team', '--store', 'postgres', '--policy', 'sessionless', '--subagents', '1'];
    const child = spawn(process.execPath, [CLI, ...args], {
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
