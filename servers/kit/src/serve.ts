/**
 * The process around a server, the same for every server: `runMain`, the one place where a
 * start-up mistake (a ConfigError: a bad setting, no browser) becomes one line on stderr and exit
 * code 1; and `stopWhenStdinEnds`, the clean stop of a server serving MCP over stdio. (Over HTTP,
 * `listen` stops on SIGINT/SIGTERM.)
 */
import { ConfigError } from './config.js';
import type { Runtime } from './runtime.js';

/** Runs a server's `main`; a ConfigError stops the process with `<name>: <message>` and exit 1. */
export async function runMain(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  }
}

/** When the client closes stdin: close the stdio server, then `close` (if any), then the runtime. */
export function stopWhenStdinEnds(
  stdio: { close(): Promise<void> },
  runtime: Pick<Runtime, 'close'>,
  close?: () => Promise<void>,
): void {
  process.stdin.once('end', () => {
    void stdio
      .close()
      .then(() => close?.())
      .finally(() => void runtime.close());
  });
}
