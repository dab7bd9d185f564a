/**
 * Bad input gets one clear sentence and a non-zero exit, and leaves nothing running: a malformed
 * scenario file (the file, the field and what was expected), an unknown server name, a port
 * already taken, a browser server that cannot find Chromium.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, announcedPids, errorLines, REPO_ROOT, runCli, type CliResult } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'harness-bad-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flagship = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios/shopping-team.json'), 'utf8')) as Record<
  string,
  unknown
>;

function scenarioFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Exit 2, exactly one error sentence matching `message`, no stack trace, nothing on stdout. */
function expectOneClearMessage(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(errorLines(result.stderr)).toEqual([expect.stringMatching(message)]);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stdout).toBe('');
}

function expectNothingLeftRunning(result: CliResult, started: number): void {
  const pids = announcedPids(result.stderr);
  expect(pids).toHaveLength(started);
  expect(pids.filter(alive)).toEqual([]);
}

describe('scenario files', () => {
  it('a wrong type names the file, the field and what was expected', async () => {
    const file = scenarioFile('wrong-type.json', JSON.stringify({ ...flagship, subagents: 'three' }));
    const result = await runCli(['run', file]);
    expectOneClearMessage(result, /wrong-type\.json: field "subagents": expected a number, got "three"$/);
    expectNothingLeftRunning(result, 0);
  });

  it('an unknown field names it and lists the known ones', async () => {
    const file = scenarioFile('typo.json', JSON.stringify({ ...flagship, subagent: 3 }));
    expectOneClearMessage(
      await runCli(['run', file]),
      /typo\.json: field "subagent" is not a known field: expected one of name, title, .*subagents/,
    );
  });

  it('broken JSON names the file, line and column', async () => {
    const file = scenarioFile('broken.json', '{\n  "name": "broken",\n  "kind": "shopping-team",\n}\n');
    expectOneClearMessage(await runCli(['run', file]), /broken\.json is not valid JSON: .*\(line 4, column 1\)$/);
  });

  it('an unknown scenario name lists the known ones', async () => {
    expectOneClearMessage(
      await runCli(['run', 'no-such-scenario']),
      /unknown scenario "no-such-scenario": .*shopping-team/,
    );
  });
});

describe('server names', () => {
  it('an unknown server in a scenario file lists the servers there are', async () => {
    const servers = ['cart', 'workspace', 'browser', 'payments'];
    const file = scenarioFile('payments.json', JSON.stringify({ ...flagship, servers }));
    const result = await runCli(['run', file]);
    expectOneClearMessage(
      result,
      /payments\.json: field "servers\[3\]": expected one of "cart", "workspace", "browser", got "payments"$/,
    );
    expectNothingLeftRunning(result, 0);
  });

  it('an unknown server in --url is refused the same way', async () => {
    expectOneClearMessage(
      await runCli(['run', 'shopping-team', '--url', 'payments=http://127.0.0.1:9/mcp']),
      /unknown server "payments" in --url: expected one of cart, workspace, browser$/,
    );
  });
});

describe('servers that cannot start', () => {
  let blocker: Server;
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('serve: a taken port names the port and the flag, and the servers that did start are stopped', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    const result = await runCli([
      'serve',
      '--cart-port',
      String(port),
      '--workspace-port',
      '0',
      '--browser-port',
      '0',
      '--site-port',
      '0',
    ]);
    expectOneClearMessage(
      result,
      new RegExp(`port ${port} is already in use, so the cart server cannot start: .*pass --cart-port <port>`),
    );
    expectNothingLeftRunning(result, 2);
  });

  it('run: a browser server without Chromium stops the run with its own sentence, and the others are stopped', async () => {
    const result = await runCli(['run', 'shopping-team', '--subagents', '1'], { CHROMIUM_PATH: '/nonexistent' });
    expectOneClearMessage(result, /the browser server did not start: CHROMIUM_PATH=\/nonexistent does not exist$/);
    expectNothingLeftRunning(result, 3);
  });
});
