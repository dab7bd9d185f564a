// @ts-check
// Shared by the README's two commands: make sure dependencies are installed and the packages
// are built, so a fresh clone needs nothing else. Plain Node, no dependencies of its own.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').ExecFileSyncOptions} [options]
 */
export function run(command, args, options = {}) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}

export function ensureSetup({ quiet = false } = {}) {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(`Node ${process.versions.node} is too old: this project needs Node 20.19 or newer.`);
    process.exit(1);
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (!existsSync(`${root}/node_modules/.bin/turbo`) || !existsSync(`${root}/node_modules/better-sqlite3`)) {
    console.log(
      'Installing dependencies (npm ci; better-sqlite3 may compile, which needs python3, make and a C++ compiler)...',
    );
    run(npm, ['ci', '--no-audit', '--no-fund']);
  }
  if (!quiet) console.log('Building packages...');
  run(`${root}/node_modules/.bin/turbo`, ['run', 'build', '--output-logs=errors-only'], {
    stdio: quiet ? 'ignore' : 'inherit',
  });
}
