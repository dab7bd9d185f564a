/**
 * A real load balancer in front of the instances: when nginx is installed, the harness writes a
 * configuration with one upstream per server - round-robin, least connections, or a consistent
 * hash on the handle header the server's tools declare (`Mcp-Param-Cart-Id`, ...) - and runs nginx
 * as an ordinary foreground process in a temporary prefix (inside the run's load-balancer network
 * namespace with --hosts), stopped with the run. `nginxConfig` is what docs/ show to copy.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../fleet/process.js';
import { UsageError } from '../../shared/errors.js';

export interface Upstream {
  /** The server's name, used for the upstream and the log. */
  name: string;
  /** host:port of each instance. */
  instances: string[];
  /** Hash on this request header (e.g. "Mcp-Param-Cart-Id"); round-robin when absent. */
  hashHeader?: string;
  /** Least connections (`least_conn`) instead of round-robin. */
  leastConn?: boolean;
  /** The port nginx listens on for this server. */
  port: number;
}

/** Where nginx runs: loopback in this namespace, or a namespace's own address (--hosts). */
export interface NginxPlace {
  /** The address nginx listens on. */
  host: string;
  /** Prefix for the command (`ip netns exec <namespace>`). */
  wrap: string[];
}

const LOOPBACK: NginxPlace = { host: '127.0.0.1', wrap: [] };

/** The nginx executable on PATH (or in /usr/sbin, where Debian puts it), else null. */
export function findNginx(pathEnv = process.env.PATH ?? ''): string | null {
  const dirs = [...pathEnv.split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((dir) => join(dir, 'nginx')).find((file) => existsSync(file)) ?? null;
}

export function nginxVersion(executable: string): string | null {
  const result = spawnSync(executable, ['-v'], { encoding: 'utf8' });
  return /nginx\/(\S+)/.exec(`${result.stderr}${result.stdout}`)?.[1] ?? null;
}

/** `Mcp-Param-Cart-Id` -> `$http_mcp_param_cart_id`: how nginx names a request header. */
export const headerVariable = (header: string) => `$http_${header.toLowerCase().replace(/-/g, '_')}`;

export function nginxConfig(upstreams: Upstream[], prefix: string, runAsRoot: boolean, listen = '127.0.0.1'): string {
  const blocks = upstreams.map((u) =>
    [
      `  upstream ${u.name} {`,
      ...(u.hashHeader ? [`    hash ${headerVariable(u.hashHeader)} consistent;`] : []),
      ...(u.leastConn ? ['    least_conn;'] : []),
      // One failed connection takes an instance out for 2 s; POSTs are not re-sent once sent.
      ...u.instances.map((address) => `    server ${address} max_fails=1 fail_timeout=2s;`),
      `    keepalive 64;`,
      `  }`,
      `  server {`,
      `    listen ${listen}:${u.port};`,
      `    location / {`,
      `      proxy_pass http://${u.name};`,
      `      proxy_http_version 1.1;`,
      `      proxy_set_header Connection "";`,
      `      proxy_set_header Host 127.0.0.1;`,
      `      proxy_next_upstream error timeout http_502;`,
      `      proxy_buffering off;`,
      `    }`,
      `  }`,
    ].join('\n'),
  );
  return [
    ...(runAsRoot ? ['user root;'] : []),
    'worker_processes 1;',
    'daemon off;',
    `pid ${join(prefix, 'nginx.pid')};`,
    `error_log ${join(prefix, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${join(prefix, 'body')};`,
    `  proxy_temp_path ${join(prefix, 'proxy')};`,
    `  fastcgi_temp_path ${join(prefix, 'fastcgi')};`,
    `  uwsgi_temp_path ${join(prefix, 'uwsgi')};`,
    `  scgi_temp_path ${join(prefix, 'scgi')};`,
    '  keepalive_requests 100000;',
    ...blocks,
    '}',
    '',
  ].join('\n');
}

/** nginx's first port inside a namespace of the run's own, where nothing else listens. */
const NAMESPACE_PORT = 8101;

export interface Balancer {
  /** The URL of each server's MCP endpoint through nginx. */
  urls: Record<string, string>;
  config: string;
  /** The nginx master and its workers, for CPU accounting. */
  pids(): number[];
  stop(): Promise<void>;
}

export async function startNginx(
  executable: string,
  servers: Array<Omit<Upstream, 'port'>>,
  place: NginxPlace = LOOPBACK,
): Promise<Balancer> {
  const prefix = mkdtempSync(join(tmpdir(), 'sessionless-nginx-'));
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) mkdirSync(join(prefix, dir));
  // A namespace of the run's own has every port free; here, ask the system for free ones.
  const inNamespace = place.wrap.length > 0;
  const upstreams = await Promise.all(
    servers.map(async (s, i) => ({ ...s, port: inNamespace ? NAMESPACE_PORT + i : await freePort() })),
  );
  const config = nginxConfig(upstreams, prefix, process.getuid?.() === 0, place.host);
  writeFileSync(join(prefix, 'nginx.conf'), config);
  const [command, ...args] = [...place.wrap, executable, '-p', prefix, '-c', join(prefix, 'nginx.conf')];
  const child = spawn(command!, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.all(upstreams.map((u) => waitForPort(place.host, u.port, child, prefix)));
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
  return {
    urls: Object.fromEntries(upstreams.map((u) => [u.name, `http://${place.host}:${u.port}/mcp`])),
    config,
    pids: () => [child.pid!],
    async stop() {
      await stopNginx(child, exited);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

async function stopNginx(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGQUIT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitForPort(host: string, port: number, child: ChildProcess, prefix: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (child.exitCode !== null) {
      const log = readFileSync(join(prefix, 'error.log'), 'utf8').trim().split('\n').at(-1) ?? '';
      throw new UsageError(`nginx did not start: ${log || `exit ${child.exitCode}`}`);
    }
    if (await accepts(host, port)) return;
    await sleep(50);
  }
  throw new UsageError(`nginx did not listen on ${host}:${port} within 10 s`);
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
