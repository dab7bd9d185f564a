/**
 * Simulated hosts for `scale --hosts N`: one Linux network namespace per host, plus one for the
 * database and one for nginx, each with its own address on a private bridge made for the run
 * (the bridge lives in a namespace of its own, so the machine's firewall never sees the traffic).
 * The load generator stays here, at the root end of one veth; nothing routes beyond the subnet.
 * `planHosts` is pure (names, addresses, the `ip` commands); `startHosts` runs it and tears it down,
 * first removing what a run killed outright (SIGKILL) left behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UsageError } from '../shared/errors.js';

/** Where one instance runs: its simulated host (1-based), the address it binds, the command prefix. */
export interface Placement {
  host: number;
  address: string;
  wrap: string[];
}

export interface Namespace {
  name: string;
  address: string;
  role: 'host' | 'database' | 'balancer';
}

export interface HostsPlan {
  subnet: string;
  /** The load generator's address: the root namespace's end of the run's veth. */
  client: string;
  /** The namespace holding the bridge, and the root end of its veth. */
  switchNamespace: string;
  rootLink: string;
  database: Namespace;
  balancer: Namespace;
  hosts: Namespace[];
  setup: string[][];
  teardown: string[][];
}

/** What the report says about the network a run used. */
export interface Topology {
  subnet: string;
  loadGenerator: string;
  database: Namespace;
  balancer: Namespace;
  hosts: Namespace[];
}

/** 10.213.<third>.0/24: a range unlikely to clash; names carry the pid, so parallel runs never collide. */
export function planHosts(pid: number, count: number, third: number): HostsPlan {
  const prefix = `slh${pid}`;
  const net = `${prefix}-net`;
  const address = (last: number) => `10.213.${third}.${last}`;
  const database: Namespace = { name: `${prefix}-db`, address: address(2), role: 'database' };
  const balancer: Namespace = { name: `${prefix}-lb`, address: address(3), role: 'balancer' };
  const hosts = Array.from({ length: count }, (_, i): Namespace => ({
    name: `${prefix}-h${i + 1}`,
    address: address(11 + i),
    role: 'host',
  }));
  const all = [database, balancer, ...hosts];
  const setup = [
    ['netns', 'add', net],
    ['-n', net, 'link', 'add', 'br0', 'type', 'bridge'],
    ['-n', net, 'link', 'set', 'br0', 'up'],
    ['link', 'add', prefix, 'type', 'veth', 'peer', 'name', 'p-root', 'netns', net],
    ['-n', net, 'link', 'set', 'p-root', 'master', 'br0', 'up'],
    ['addr', 'add', `${address(1)}/24`, 'dev', prefix],
    ['link', 'set', prefix, 'up'],
    ...all.flatMap(({ name, address: own }) => {
      const port = `p-${name.slice(prefix.length + 1)}`;
      return [
        ['netns', 'add', name],
        ['-n', net, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name],
        ['-n', net, 'link', 'set', port, 'master', 'br0', 'up'],
        ['-n', name, 'addr', 'add', `${own}/24`, 'dev', 'eth0'],
        ['-n', name, 'link', 'set', 'eth0', 'up'],
        ['-n', name, 'link', 'set', 'lo', 'up'],
      ];
    }),
  ];
  const teardown = [['link', 'del', prefix], ...[...all, { name: net }].map(({ name }) => ['netns', 'del', name])];
  return {
    subnet: `10.213.${third}.0/24`,
    client: address(1),
    switchNamespace: net,
    rootLink: prefix,
    database,
    balancer,
    hosts,
    setup,
    teardown,
  };
}

/** Instance i of a server on host (i mod N) + 1: the instances spread evenly. */
export function placeOn(hosts: Namespace[], instance: number): Placement {
  const host = instance % hosts.length;
  const ns = hosts[host]!;
  return { host: host + 1, address: ns.address, wrap: wrapFor(ns) };
}

export const wrapFor = (ns: Pick<Namespace, 'name'>): string[] => [ipCommand() ?? 'ip', 'netns', 'exec', ns.name];

/** Why --hosts cannot run here, as one sentence, or null when it can. */
export function hostsProblem(uid = process.getuid?.() ?? -1, ip = ipCommand()): string | null {
  if (uid === 0 && ip) return null;
  const missing = uid !== 0 ? 'root' : 'iproute2 (the ip command)';
  return (
    `--hosts makes network namespaces, which needs root and iproute2, and ${missing} is missing here: ` +
    'run it as root with iproute2 installed (apt-get install iproute2), or leave out --hosts'
  );
}

export function ipCommand(pathEnv = process.env.PATH ?? ''): string | null {
  const dirs = [...pathEnv.split(delimiter).filter(Boolean), '/usr/sbin', '/sbin', '/usr/bin'];
  return dirs.map((dir) => join(dir, 'ip')).find((file) => existsSync(file)) ?? null;
}

export interface Hosts {
  plan: HostsPlan;
  topology: Topology;
  /** Kills whatever still runs in the run's namespaces, then removes them, the bridge and the veths. */
  stop(): void;
}

export function startHosts(count: number, log: (line: string) => void): Hosts {
  const problem = hostsProblem();
  if (problem) throw new UsageError(problem);
  removeLeftovers(log);
  const plan = planHosts(process.pid, count, freeThirdOctet(process.pid));
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const ns of [...plan.hosts, plan.balancer, plan.database]) killAllIn(ns.name);
    for (const args of plan.teardown) spawnSync(ipCommand()!, args, { stdio: 'ignore' });
  };
  try {
    for (const args of plan.setup) ip(args);
  } catch (error) {
    stop();
    throw new UsageError(
      `could not build the run's network namespaces (${(error as Error).message}): --hosts needs root with ` +
        'the right to create network namespaces (not an unprivileged container); or leave out --hosts',
    );
  }
  log(
    `network ${plan.subnet}: load generator ${plan.client} (this namespace), database ${plan.database.address}, ` +
      `nginx ${plan.balancer.address}, hosts ${plan.hosts.map((h) => `${h.name} ${h.address}`).join(', ')}`,
  );
  const { subnet, client: loadGenerator, database, balancer, hosts } = plan;
  return { plan, topology: { subnet, loadGenerator, database, balancer, hosts }, stop };
}

/** Namespaces and links of a run whose harness was killed outright (SIGKILL leaves them), by pid. */
function removeLeftovers(log: (line: string) => void): void {
  const named = spawnSync(ipCommand()!, ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  const links = spawnSync(ipCommand()!, ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout ?? '';
  const namespaces = [...named.matchAll(/^(slh(\d+)-[a-z0-9]+)/gm)].filter((m) => !running(Number(m[2])));
  const roots = [...links.matchAll(/^\d+: (slh(\d+))@/gm)].filter((m) => !running(Number(m[2])));
  for (const [, name] of namespaces) killAllIn(name!);
  for (const [, link] of roots) spawnSync(ipCommand()!, ['link', 'del', link!], { stdio: 'ignore' });
  for (const [, name] of namespaces) spawnSync(ipCommand()!, ['netns', 'del', name!], { stdio: 'ignore' });
  const gone = [...namespaces.map((m) => m[1]), ...roots.map((m) => m[1])];
  if (gone.length) log(`removed what a killed run left behind: ${gone.join(', ')}`);
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function ip(args: string[]): void {
  const result = spawnSync(ipCommand()!, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${(result.stderr || '').trim()}`);
}

function killAllIn(namespace: string): void {
  const listed = spawnSync(ipCommand()!, ['netns', 'pids', namespace], { encoding: 'utf8' });
  for (const pid of (listed.stdout ?? '').split(/\s+/).filter(Boolean).map(Number)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** A /24 under 10.213.0.0/16 that no interface here uses yet, starting from one the pid picks. */
function freeThirdOctet(pid: number): number {
  const used = execFileSync(ipCommand()!, ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' });
  for (let i = 0; i < 254; i++) {
    const third = ((pid + i) % 254) + 1;
    if (!used.includes(`10.213.${third}.`)) return third;
  }
  throw new UsageError('every 10.213.x.0/24 subnet is in use here, so --hosts has no room: remove some and retry');
}
