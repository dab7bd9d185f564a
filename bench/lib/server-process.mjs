/**
 * A benchmark target as a process: start a Node server (a `.ts` entry runs through tsx),
 * optionally pinned to one CPU with taskset, resolve once it logs "listening" with its URL, and
 * stop it (SIGTERM, then SIGKILL after 8 s). Its stderr is drained for the whole run, keeping only
 * the last 30 lines for error messages, so a server logging per request never blocks on a full
 * pipe nor grows this process's memory. Also: which entry point of a server package to run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';

/**
 * `env` is the child's whole environment (callers start from process.env); `cpu` pins it with
 * taskset; `nodeArgs` go to node before the script (e.g. --cpu-prof).
 */
export async function startServer({ name, script, env, cwd, nodeArgs = [], cpu, timeoutMs = 20_000 }) {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const node = [process.execPath, ...loader, ...nodeArgs, script];
  const [command, ...args] = cpu === undefined ? node : ['taskset', '-c', String(cpu), ...node];
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const tail = [];
  const exited = new Promise((done) => child.once('exit', done));
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not log "listening" within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onEarlyExit = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before listening:\n${tail.join('\n')}`));
    };
    child.once('exit', onEarlyExit);
    createInterface({ input: child.stderr }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 30) tail.shift();
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'listening' && typeof entry.url === 'string') {
          clearTimeout(timer);
          child.removeListener('exit', onEarlyExit);
          resolveUrl(entry.url);
        }
      } catch {
        // not a JSON log line
      }
    });
  });

  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
    await exited;
    clearTimeout(timer);
  }
  return { name, child, pid: child.pid, url, tail, exited, stop };
}

/** A server package's dist/main.js when it is newer than its sources, else src/main.ts (run through tsx). */
export function serverEntry(serverDir) {
  const built = join(serverDir, 'dist/main.js');
  const newest = (path) =>
    statSync(path).isDirectory()
      ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
      : statSync(path).mtimeMs;
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(serverDir, 'src'))) return built;
  return join(serverDir, 'src/main.ts');
}
