/**
 * Finding and starting Chromium. Discovery runs at start-up (cheap file checks) so a machine
 * without a browser fails fast with a message naming the options; the launch itself waits for
 * the first call that needs a page. One browser process per server instance; contexts are cheap.
 * Even the Playwright module is loaded on first use: it is a third of the server's start-up time.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ConfigError } from '@sessionless/kit';
import type { Browser } from 'playwright-core';

export interface ChromiumChoice {
  /** Undefined means Playwright's own managed browser. */
  executablePath: string | undefined;
  source: 'CHROMIUM_PATH' | 'system' | 'playwright';
}

const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

// Flags for a headless, quiet browser on a machine without a sandbox-capable kernel or network.
// WebRTC would send UDP (STUN/TURN) straight to any address a page names, around the allow-list
// proxy: with this policy it may only use the proxy, which refuses whatever is not on the list.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** A start-up configuration problem: `runMain` prints it as one line and exits 1. */
export class BrowserNotFoundError extends ConfigError {
  override name = 'BrowserNotFoundError';
}

export async function findChromium(configured: string | undefined): Promise<ChromiumChoice> {
  if (configured) {
    if (!existsSync(configured)) throw new BrowserNotFoundError(`CHROMIUM_PATH=${configured} does not exist`);
    return { executablePath: configured, source: 'CHROMIUM_PATH' };
  }
  const system = SYSTEM_CANDIDATES.find((path) => existsSync(path));
  if (system) return { executablePath: system, source: 'system' };
  const managed = await managedPath();
  if (managed && existsSync(managed)) return { executablePath: undefined, source: 'playwright' };
  throw new BrowserNotFoundError(
    'no Chromium found: set CHROMIUM_PATH to a Chromium or Chrome executable, install one ' +
      `(Debian: apt-get install chromium; looked in ${SYSTEM_CANDIDATES.join(', ')}), ` +
      "or install Playwright's managed browser (npx playwright install chromium)",
  );
}

async function managedPath(): Promise<string | undefined> {
  try {
    return (await import('playwright-core')).chromium.executablePath();
  } catch {
    return undefined;
  }
}

export class Launcher {
  private launching: Promise<Browser> | undefined;
  /** Seconds the last launch took, for metrics and the benchmark. */
  lastLaunchSeconds = 0;

  constructor(
    private readonly choice: ChromiumChoice,
    private readonly proxyUrl: () => Promise<string>,
  ) {}

  get launched(): boolean {
    return this.launching !== undefined;
  }

  async browser(): Promise<Browser> {
    this.launching ??= this.launch();
    const browser = await this.launching;
    if (browser.isConnected()) return browser;
    this.launching = undefined;
    return this.browser();
  }

  async close(): Promise<void> {
    const launching = this.launching;
    this.launching = undefined;
    if (launching) await (await launching.catch(() => undefined))?.close();
  }

  private async launch(): Promise<Browser> {
    const started = performance.now();
    try {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: this.choice.executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
        // Every request goes through the allow-list proxy; "<-loopback>" stops Chromium bypassing it for loopback.
        proxy: { server: await this.proxyUrl(), bypass: '<-loopback>' },
      });
      this.lastLaunchSeconds = (performance.now() - started) / 1000;
      return browser;
    } catch (error) {
      this.launching = undefined;
      throw error;
    }
  }
}
