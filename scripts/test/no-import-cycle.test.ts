/**
 * The lint rule against import cycles, run through the repository's own ESLint configuration on
 * small modules written for the test: a cycle made only of type imports fails `npm run lint`,
 * naming the path; the same modules without the cycle pass.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = join(root, 'scripts', 'test', `tmp-cycle-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lint(files: Record<string, string>): Promise<string[]> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const results = await new ESLint({ cwd: root }).lintFiles([dir]);
  return results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'local/no-import-cycle').map((m) => m.message));
}

describe('local/no-import-cycle', () => {
  it('fails on a cycle of type-only imports and names its path', async () => {
    const messages = await lint({
      'report.ts': "import type { Check } from './checks.js';\nexport interface Report { checks: Check[] }\n",
      'checks.ts': "import type { Report } from './report.js';\nexport interface Check { report?: Report }\n",
    });
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(
      /^import cycle: scripts\/test\/tmp-cycle-\d+\/\w+\.ts -> .* -> .*\.ts; move the shared declaration/,
    );
  });

  it('finds a longer cycle through value imports too', async () => {
    const messages = await lint({
      'a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'b.ts': "import { c } from './c.js';\nexport const b = () => c;\n",
      'c.ts': "import { a } from './a.js';\nexport const c = () => a;\n",
    });
    expect(messages).toHaveLength(3);
  });

  it('passes once the shared declaration lives in a module both import', async () => {
    const messages = await lint({
      'types.ts': 'export interface Check { ok: boolean }\nexport interface Report { checks: Check[] }\n',
      'report.ts': "import type { Report } from './types.js';\nexport const empty: Report = { checks: [] };\n",
      'checks.ts': "import type { Check } from './types.js';\nexport const passed: Check = { ok: true };\n",
    });
    expect(messages).toEqual([]);
  });
});
