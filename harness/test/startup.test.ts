/**
 * `sessionless-harness startup`: real starts of the cart server (its bundle and its compiled
 * modules), timed to the first answered tools/list next to a bare `node -e 0`, and the command's
 * table. Durations are reported, never asserted: only that each start did its work.
 */
import { describe, expect, it } from 'vitest';
import { runStartup } from '../src/scale/bench/startup.js';
import { runCli } from './helpers.js';

describe('startup', () => {
  it('times the cart server to its first answered tools/list, beside node -e 0', async () => {
    const report = await runStartup({ command: 'test', runs: 2, servers: ['cart'] });
    expect(report.ok).toBe(true);
    const [node, cart, modules] = report.rows;
    expect(node!.name).toBe('node -e 0');
    expect(node!.runsMs).toHaveLength(2);
    expect(cart!.name).toBe('cart');
    expect(modules!.name).toBe('cart (modules)');
    for (const row of [cart!, modules!]) {
      expect(row.runsMs).toHaveLength(2);
      expect(row.medianMs).toBeGreaterThan(0);
      expect(row.overNodeMs).toBe(row.medianMs! - node!.medianMs!);
    }
  }, 60_000);

  it('sessionless-harness startup --quick prints a row per server', async () => {
    const result = await runCli(['startup', '--quick']);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    // One run each: on a busy machine the bare node can take longer than a server, so the
    // difference may be negative; the row is what is claimed, not the speed.
    for (const name of ['node -e 0', 'cart', 'workspace', 'browser']) {
      expect(result.stdout).toMatch(new RegExp(`^${name} +\\d+ +-?\\d+ `, 'm'));
      if (name !== 'node -e 0') expect(result.stdout).toMatch(new RegExp(`^${name} \\(modules\\) +\\d+ +-?\\d+ `, 'm'));
    }
  }, 90_000);
});
