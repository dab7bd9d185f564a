/**
 * `check` against servers written on the stock SDK v2 in this process (each start is one instance
 * with its own memory): the documented stateless shape keeping handles in a Map gets the verdict it
 * deserves; a server whose handles only a declaration file shows passes once declared; and the
 * command's bad input is one sentence each.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/check/check.js';
import { readDeclaration } from '../src/check/declaration.js';
import type { CheckReport } from '../src/check/report.js';
import { parseCli } from '../src/cli/args.js';
import { checkCommand } from '../src/cli/check-command.js';
import { reportCommand } from '../src/cli/report-command.js';
import type { CommandIo } from '../src/cli/io.js';
import { REPO_ROOT } from './helpers.js';
import { basketServer, stockNotesServer, type Instance } from './fixtures/sdk-servers.js';

const dir = mkdtempSync(join(tmpdir(), 'check-fixtures-'));
let notes: Instance[] = [];
let baskets: Instance[] = [];
const basketStore = new Map<string, string[]>();

beforeAll(async () => {
  notes = await Promise.all([stockNotesServer(), stockNotesServer()]);
  baskets = await Promise.all([basketServer(basketStore), basketServer(basketStore)]);
});
afterAll(async () => {
  await Promise.all([...notes, ...baskets].map((i) => i.close()));
  rmSync(dir, { recursive: true, force: true });
});

const statuses = (report: CheckReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
const detail = (report: CheckReport, id: string) => report.checks.find((c) => c.id === id)!.detail;

function declaration(content: unknown): string {
  const file = join(dir, `handles-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const BASKETS = {
  handles: [
    {
      argument: 'basket',
      create: { tool: 'open_basket', resultPattern: 'bsk_[A-Za-z0-9_-]{22}' },
      read: { tool: 'basket_show' },
      destroy: { tool: 'throw_away' },
    },
  ],
};

describe('check: the stock SDK stateless server with handles in process memory', () => {
  it('lists and sessions pass, lists uncacheable warn, handles fail on another instance, entropy and routing', async () => {
    const report = await runCheck({ urls: notes.map((n) => n.url) });
    expect(statuses(report)).toEqual({
      'lists.identical-across-instances': 'pass',
      'lists.identical-across-principals': 'skip',
      'lists.unchanged-by-calls': 'pass',
      'lists.stable-tool-set': 'pass',
      'lists.deterministic-order': 'pass',
      'lists.cache-hints': 'warn',
      'sessions.no-session-id': 'pass',
      'sessions.initialize-elsewhere': 'pass',
      'handles.other-instance': 'fail',
      'handles.other-principal': 'skip',
      'handles.bad-ids': 'pass',
      'handles.entropy': 'fail',
      'handles.routing-header': 'fail',
    });
    expect(report.handles).toEqual([
      expect.objectContaining({
        argument: 'note_id',
        create: 'note_create',
        read: 'note_read',
        destroy: 'note_delete',
      }),
    ]);
    // Every list it offers is compared: tools, resources, resource templates and prompts.
    expect(detail(report, 'lists.identical-across-instances')).toMatch(
      /^server\/discover, tools\/list, resources\/list, resources\/templates\/list, prompts\/list: the same bytes from both instances/,
    );
    expect(detail(report, 'lists.cache-hints')).toMatch(
      /^server\/discover, tools\/list, .*prompts\/list say ttlMs 0 .*prompts\/list 0 ms private/,
    );
    expect(detail(report, 'handles.other-instance')).toMatch(
      /^note_create on instance 1 made \S+, but note_read on instance 2 answered the tool error "Note [0-9a-f-]{36} not found"/,
    );
    expect(detail(report, 'handles.entropy')).toMatch(/122 random bits .* UUIDv4/);
    expect(detail(report, 'handles.routing-header')).toMatch(
      /^note_read, note_delete take note_id without x-mcp-header/,
    );
    // The check cleans up after itself even where a handle lives on one instance only.
    expect(report.writes.leftBehind).toEqual([]);
    expect(report.ok).toBe(false);
  });
});

describe('check: handles the tool list does not show', () => {
  it('without a declaration none is found; with one, the declared tools run and pass', async () => {
    const blind = await runCheck({ urls: baskets.map((b) => b.url) });
    expect(statuses(blind)['handles.none']).toBe('skip');
    expect(blind.writes.calls).toEqual({});
    // It called no tool at all, so it cannot say lists survive tool calls.
    expect(statuses(blind)['lists.unchanged-by-calls']).toBe('skip');
    expect(statuses(blind)['lists.stable-tool-set']).toBe('skip');

    const file = declaration(BASKETS);
    const report = await runCheck({
      urls: baskets.map((b) => b.url),
      declaration: { file, data: readDeclaration(file) },
    });
    expect(report.handles).toEqual([
      expect.objectContaining({ argument: 'basket', create: 'open_basket', source: 'declaration' }),
    ]);
    expect(statuses(report)).toMatchObject({
      'handles.other-instance': 'pass',
      'handles.bad-ids': 'pass',
      'handles.entropy': 'pass',
      'handles.routing-header': 'fail',
    });
    expect(report.writes.calls).toEqual({ open_basket: 3, throw_away: 3 });
    expect(basketStore.size).toBe(0);
  });
});

describe('check: bad input', () => {
  const io: CommandIo = {
    print: () => {},
    log: () => {},
    write: () => {},
    registerStop: () => {},
    interrupted: () => false,
    onSignal: () => {},
  };
  const check = (...argv: string[]) => checkCommand(parseCli(['check', ...argv]), io);

  it.each([
    [[], /^check needs the URL of at least one instance/],
    [['ftp://x/mcp'], /^check expects instance URLs like http:\/\/127\.0\.0\.1:3101\/mcp, got "ftp:\/\/x\/mcp"$/],
    [['http://127.0.0.1:1/mcp', 'http://127.0.0.1:1/mcp'], /^check was given the same URL twice/],
    [
      ['http://127.0.0.1:1/mcp', '--read-only', '--allow-writes'],
      /^--read-only and --allow-writes contradict each other/,
    ],
    [['http://127.0.0.1:1/mcp', '--header', 'no colon'], /^--header expects "NAME: VALUE"/],
    [['http://127.0.0.1:1/mcp', '--token-b', 'x'], /^--token-b needs --token/],
  ])('check %j is refused in one sentence', async (argv, message) => {
    await expect(check(...(argv as string[]))).rejects.toThrow(message);
  });

  it('report FILE prints a saved check report again, with its verdict as the exit status', () => {
    const printed: string[] = [];
    const status = reportCommand(parseCli(['report', join(REPO_ROOT, 'docs/results/check-session-cart.json')]), {
      ...io,
      print: (text) => void printed.push(text),
    });
    expect(status).toBe(1);
    expect(printed.join('\n')).toMatch(/FAIL {2}no Mcp-Session-Id ever minted[\s\S]*FAILED: 3 of 9 checks failed/);
  });

  it('a declaration file with a mistake names the file and the field; an unknown tool names it too', async () => {
    const wrong = declaration({ handles: [{ argument: 'basket', create: {} }] });
    expect(() => readDeclaration(wrong)).toThrow(
      /handles-\w+\.json: field "handles\[0\]\.create\.tool": .*; see "Check your own server"/,
    );
    const unknown = declaration({ handles: [{ argument: 'basket', create: { tool: 'open_bag' } }] });
    await expect(check(baskets[0]!.url, '--handles', unknown)).rejects.toThrow(
      /handles\[0\]\.create\.tool is "open_bag", which instance 1 does not list$/,
    );
  });
});
