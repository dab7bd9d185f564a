#!/usr/bin/env node
// The `sessionless-harness` command. A small committed file, so that npm links the command at
// install time, before anything is built; the CLI itself is compiled from src/cli.ts.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('sessionless-harness is not built yet: run "npm run build" at the repository root\n');
  process.exit(2);
}
await import(cli.href);
