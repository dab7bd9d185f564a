#!/usr/bin/env node
// `node bench/workspace.mjs [options]`: the workspace benchmark, compiled from src/workspace.ts. A small
// committed file so the command works as documented; "npm run build" compiles the benchmark.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const compiled = new URL('./dist/workspace.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('bench: not built yet: run "npm run build" at the repository root\n');
  process.exit(2);
}
await import(compiled.href);
