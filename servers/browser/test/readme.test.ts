import { readFileSync } from 'node:fs';
import { toolsTable, withToolsTable } from '@sessionless/kit';
import { describe, expect, it } from 'vitest';
import { AllowList } from '../src/domain/allow-list.js';
import { browserKind, DEFAULT_BROWSER_LIMITS, type BrowserDeps } from '../src/server.js';
import { browserTools } from '../src/tools/index.js';

describe('README.md', () => {
  it('has the tools table generated from the tool definitions (run `npm run readmes` to refresh it)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const deps = {
      browserKind: browserKind(DEFAULT_BROWSER_LIMITS),
      allowList: new AllowList(['http://127.0.0.1:4173']),
    } as BrowserDeps;
    expect(readme).toBe(withToolsTable(readme, toolsTable(browserTools, deps)));
  });
});
