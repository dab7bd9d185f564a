#!/usr/bin/env node
/**
 * `npm run bench:cart [-- options]`: builds the kit and the cart server when their sources are newer
 * than their build, then runs the cart_add_item benchmark (bench/cart-add-item.mjs) with the
 * options given. Not part of `npm test`: it takes about two minutes and wants a quiet machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSC = join(ROOT, 'node_modules/.bin/tsc');
// Built in this order: the cart imports the kit's build output.
const PACKAGES = [
  { dir: 'servers/kit', output: 'dist/index.js' },
  { dir: 'servers/cart', output: 'dist/main.js' },
];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0);
}

function isStale({ dir, output }) {
  const built = join(ROOT, dir, output);
  if (!existsSync(built)) return true;
  const inputs = [join(ROOT, dir, 'src'), join(ROOT, dir, 'tsconfig.build.json'), join(ROOT, 'tsconfig.base.json')];
  return Math.max(...inputs.filter(existsSync).map(newestMtime)) > statSync(built).mtimeMs;
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (PACKAGES.some(isStale)) {
  process.stderr.write('bench: building servers/kit and servers/cart...\n');
  for (const { dir } of PACKAGES) {
    if (run(TSC, ['-p', join(dir, 'tsconfig.build.json')]) !== 0) {
      process.stderr.write(`bench: the build of ${dir} failed; fix it and run again\n`);
      process.exit(1);
    }
  }
}

process.exit(run(process.execPath, [join(ROOT, 'bench/cart-add-item.mjs'), ...process.argv.slice(2)]));
