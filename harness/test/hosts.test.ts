/**
 * The simulated hosts' network as planned, without making it: names that carry the run's pid and
 * fit Linux's 15-character limit, one address each on the run's own /24, the bridge in a namespace
 * of its own, a teardown that removes everything the setup makes, instances spread evenly, and
 * the one sentence --hosts answers with where it cannot run.
 */
import { describe, expect, it } from 'vitest';
import { hostsProblem, placeOn, planHosts } from '../src/fleet/hosts.js';

const plan = planHosts(4_194_303, 3, 57);

describe('simulated hosts', () => {
  it('names every namespace after the run, one address each on 10.213.57.0/24', () => {
    const namespaces = [plan.database, plan.balancer, ...plan.hosts];
    expect(namespaces.map((n) => n.name)).toEqual([
      'slh4194303-db',
      'slh4194303-lb',
      'slh4194303-h1',
      'slh4194303-h2',
      'slh4194303-h3',
    ]);
    const addresses = [plan.client, ...namespaces.map((n) => n.address)];
    expect(new Set(addresses).size).toBe(addresses.length);
    for (const address of addresses) expect(address).toMatch(/^10\.213\.57\.\d{1,3}$/);
    expect(plan.subnet).toBe('10.213.57.0/24');
  });

  it('keeps interface names within 15 characters, even for the largest pid', () => {
    const links = plan.setup.flatMap((args) => {
      const at = args.indexOf('add');
      return args[at - 1] === 'link' ? [args[at + 1]!, args[args.indexOf('name') + 1]!] : [];
    });
    expect(links).toContain(plan.rootLink);
    for (const name of links) expect(name.length).toBeLessThanOrEqual(15);
  });

  it('puts the bridge in a namespace of its own, the root end of one veth being the only link here', () => {
    const linksHere = plan.setup.filter((args) => args[0] === 'link' && args[1] === 'add').map((args) => args[2]);
    expect(linksHere).toEqual([plan.rootLink]);
    const ports = plan.setup.filter(
      (args) => args[0] === '-n' && args[2] === 'link' && args[3] === 'add' && args[6] === 'veth',
    );
    expect(ports).toHaveLength(5);
    for (const port of ports) expect(port[1]).toBe(plan.switchNamespace);
    expect(plan.setup).toContainEqual(['-n', plan.switchNamespace, 'link', 'add', 'br0', 'type', 'bridge']);
    expect(plan.setup.some((args) => args.includes('route') || args.includes('default'))).toBe(false);
  });

  it('tears down every namespace and the root link the setup made', () => {
    const made = plan.setup.filter((args) => args[0] === 'netns' && args[1] === 'add').map((args) => args[2]);
    const removed = plan.teardown.filter((args) => args[0] === 'netns' && args[1] === 'del').map((args) => args[2]);
    expect(new Set(removed)).toEqual(new Set(made));
    expect(plan.teardown[0]).toEqual(['link', 'del', plan.rootLink]);
  });

  it('spreads instances evenly: instance i on host (i mod N) + 1, bound to that host', () => {
    const placed = [0, 1, 2, 3, 4, 5].map((i) => placeOn(plan.hosts, i));
    expect(placed.map((p) => p.host)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(placed[4]!.address).toBe(plan.hosts[1]!.address);
    expect(placed[4]!.wrap.slice(-3)).toEqual(['netns', 'exec', plan.hosts[1]!.name]);
  });

  it('says in one sentence why it cannot run without root or iproute2', () => {
    expect(hostsProblem(0, '/usr/sbin/ip')).toBeNull();
    expect(hostsProblem(1000, '/usr/sbin/ip')).toMatch(
      /^--hosts makes network namespaces.*root is missing here.*or leave out --hosts$/,
    );
    expect(hostsProblem(0, null)).toMatch(/iproute2 \(the ip command\) is missing here/);
  });
});
