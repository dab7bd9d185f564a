import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('examples/smoke.ts', () => {
  it('calls every workspace tool once and exits 0', async () => {
    const smoke = fileURLToPath(new URL('../examples/smoke.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', smoke]);
    expect(stdout).toMatch(/all 11 tools answered as expected/);
  });
});
