/**
 * `k6 [script]`: start the servers (`--instances K` of each) and run a k6 script from
 * scenarios/k6/ against them, with their URLs and a signed token in its environment. k6's own
 * exit code is the verdict; without k6 on PATH nothing starts and the sentence says how to get it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAudience, signDevToken } from '@sessionless/kit';
import { startFleet } from '../fleet/fleet.js';
import { SERVER_NAMES } from '../fleet/servers.js';
import { describeK6Exit, failedThresholds, findK6, K6_INSTALL_HINT, k6ScriptPath, runK6 } from '../scale/k6.js';
import { loadScenario } from '../scenarios/scenario-file.js';
import { UsageError } from '../shared/errors.js';
import type { CliOptions } from './args.js';
import type { CommandIo } from './io.js';

export async function k6Command(options: CliOptions, io: CommandIo): Promise<number> {
  const k6 = findK6();
  if (!k6) throw new UsageError(K6_INSTALL_HINT);
  const script = k6ScriptPath(options.target ?? 'cart');
  const scenario = loadScenario('shopping-team').scenario;
  const instances = options.scale.instances?.[0] ?? (script.endsWith('scale-out.ts') ? 2 : 1);
  const secret = randomBytes(32).toString('base64url');
  const fleet = await startFleet({
    servers: scenario.servers,
    auth: { mode: 'jwt', secret },
    instances,
    log: options.quiet ? undefined : io.log,
    register: io.registerStop,
  });
  const dir = mkdtempSync(join(tmpdir(), 'sessionless-k6-'));
  try {
    const list = (name: 'cart' | 'workspace' | 'browser') => fleet.replicas[name].map((e) => e.url).join(',');
    const result = await runK6({
      k6,
      script,
      summaryFile: join(dir, 'summary.json'),
      env: {
        CART_URL: list('cart'),
        WORKSPACE_URL: list('workspace'),
        BROWSER_URL: list('browser'),
        SITE_ORIGIN: fleet.siteOrigin ?? '',
        MCP_TOKEN: await signDevToken(secret, 'k6', { expiresIn: '12h', audience: SERVER_NAMES.map(defaultAudience) }),
      },
      onOutput: (text) => io.print(text.trimEnd()),
    });
    const failed = result.summary ? failedThresholds(result.summary) : [];
    io.log(`k6: ${describeK6Exit(result.exitCode)}${failed.length ? `; thresholds failed: ${failed.join(', ')}` : ''}`);
    return result.exitCode === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await fleet.stop();
  }
}
