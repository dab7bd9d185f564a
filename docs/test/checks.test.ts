/** The checks themselves catch drift: each is shown a small document that is wrong in one way. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkCitedTests,
  checkCommands,
  checkExcerpts,
  checkPaths,
  checkToolNames,
  readFacts,
} from '../check/checks.js';
import { parseMarkdown } from '../check/markdown.js';

const facts = readFacts(fileURLToPath(new URL('../../', import.meta.url)));
const doc = (...lines: string[]) => parseMarkdown(lines.join('\n'));

describe('docs checks', () => {
  it('an excerpt that no longer matches its file is reported, one that matches is not', () => {
    const good = doc(
      '<!-- excerpt: servers/cart/src/domain/store.ts -->',
      '```ts',
      'export const MAX_LINE_QUANTITY = 10_000;',
      '// ...',
      'export interface CartLine {',
      '```',
    );
    expect(checkExcerpts('x.md', good, facts)).toEqual([]);
    const drifted = doc(
      '<!-- excerpt: servers/cart/src/domain/store.ts -->',
      '```ts',
      'export const MAX_LINE_QUANTITY = 99;',
      '```',
    );
    expect(checkExcerpts('x.md', drifted, facts)[0]?.message).toMatch(/drifted/);
  });

  it('unknown scripts, harness commands, flags and files are reported', () => {
    const bad = doc(
      '```sh',
      'npm run nonsense',
      'npx sessionless-harness fly',
      'npx sessionless-harness scale --warp 9',
      'node scripts/missing.mjs',
      'npm run demo',
      'npx sessionless-harness scale --quick --instances 1,2',
      '```',
    );
    expect(checkCommands('x.md', bad, facts).map((p) => p.line)).toEqual([2, 3, 4, 5]);
  });

  it('paths and tool names that do not exist are reported', () => {
    const bad = doc('See `servers/cart/src/nothing.ts`, `harness/dist/cli.js`, `cart_fly` and `cart_get`.');
    expect(checkPaths('x.md', bad, facts).map((p) => p.message)).toEqual([
      'the path servers/cart/src/nothing.ts does not exist',
    ]);
    expect(checkToolNames('x.md', bad, facts).map((p) => p.message)).toEqual(['cart_fly is not a tool of any server']);
  });

  it('a cited test that was renamed or never existed is reported; a real one, or an it.each title, is not', () => {
    const text = [
      '- `servers/kit/test/handles.test.ts` › "forgets tombstones after their retention: expired becomes not found"',
      '- `servers/kit/test/auth.test.ts` › "refuses %s with invalid_token and a reason"',
      '- `servers/kit/test/handles.test.ts` › "expires whenever it likes"',
      '- `servers/kit/test/nothing.test.ts` › "anything"',
    ].join('\n');
    expect(checkCitedTests('x.md', text, facts).map((p) => [p.line, p.message])).toEqual([
      [
        3,
        'servers/kit/test/handles.test.ts has no test named "expires whenever it likes"; cite the test as it is named now',
      ],
      [4, 'the cited test file servers/kit/test/nothing.test.ts does not exist'],
    ]);
  });
});
