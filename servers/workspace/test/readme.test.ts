import { readFileSync } from 'node:fs';
import { toolsTable, withToolsTable } from '@sessionless/kit';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_LIMITS, fileLimits, workspaceKind, type WorkspaceDeps } from '../src/server.js';
import { workspaceTools } from '../src/tools/index.js';

describe('README.md', () => {
  it('has the tools table generated from the tool definitions (run `npm run readmes` to refresh it)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const deps = {
      workspaceKind: workspaceKind(DEFAULT_WORKSPACE_LIMITS),
      limits: fileLimits(DEFAULT_WORKSPACE_LIMITS),
    } as WorkspaceDeps;
    expect(readme).toBe(withToolsTable(readme, toolsTable(workspaceTools, deps)));
  });
});
