/**
 * Bad input to scale's store and host flags gets one clear sentence and exit 2 before anything
 * starts: simulated hosts without PostgreSQL, a database restart without a database of the run's
 * own, an unknown store, a malformed --database-url (never quoted back: it may hold a password),
 * and two stores for run, which takes one.
 */
import { describe, expect, it } from 'vitest';
import { announcedPids, errorLines, runCli, type CliResult } from './helpers.js';

function expectRefused(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(errorLines(result.stderr)).toEqual([expect.stringMatching(message)]);
  expect(result.stdout).toBe('');
  expect(announcedPids(result.stderr)).toEqual([]);
}

describe('scale: stores and simulated hosts, refused before anything starts', () => {
  it('--hosts without PostgreSQL', async () => {
    expectRefused(
      await runCli(['scale', '--hosts', '2', '--quick']),
      /--hosts spreads instances that share nothing but the database, and SQLite is a file on one host: add --store postgres$/,
    );
  });

  it('--restart-database-at with SQLite, or with a database the run did not start', async () => {
    expectRefused(
      await runCli(['scale', '--restart-database-at', '1']),
      /--restart-database-at restarts the PostgreSQL the run starts for itself: add --store postgres/,
    );
    expectRefused(
      await runCli(['scale', '--restart-database-at', '1', '--database-url', 'postgres://u@127.0.0.1:9/db']),
      /\(without --database-url\), or leave out --restart-database-at$/,
    );
  });

  it('an unknown store, and a --database-url that is not PostgreSQL, without quoting the URL back', async () => {
    expectRefused(
      await runCli(['scale', '--store', 'mysql']),
      /unknown store "mysql" in --store: expected one of sqlite, postgres$/,
    );
    const result = await runCli(['scale', '--database-url', 'mysql://admin:hunter2secret@db/shop']);
    expectRefused(result, /--database-url expects a PostgreSQL URL such as postgres:\/\/user@host:5432\/database$/);
    expect(result.stderr).not.toContain('hunter2secret');
  });

  it('run takes one store', async () => {
    expectRefused(await runCli(['run', '--store', 'sqlite,postgres']), /run and sweep take one --store/);
  });
});
