/**
 * How the load generator routes: round-robin moves every call on a handle to the next instance,
 * least connections picks the instance with the fewest calls in flight, affinity keeps a handle on
 * one instance and moves only the handles of an instance that went down, and sticky keys
 * (sessions) stay where they were answered while that instance is up; nginx gets the same three.
 */
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../src/fleet/fleet.js';
import { nginxConfig, headerVariable } from '../src/scale/engine/nginx.js';
import { Router } from '../src/scale/engine/router.js';

const instances = (k: number): Endpoint[] =>
  Array.from({ length: k }, (_, instance) => ({
    name: 'cart',
    url: `http://127.0.0.1:${4000 + instance}/mcp`,
    origin: `http://127.0.0.1:${4000 + instance}`,
    instance,
  }));

const keys = Array.from({ length: 600 }, (_, i) => `cart_${i.toString(36)}x${(i * 7919).toString(36)}`);

describe('router', () => {
  it('round-robin sends consecutive calls on one handle to different instances', () => {
    const router = new Router(instances(3), 'round-robin');
    const picks = Array.from({ length: 6 }, () => router.pick('cart_abc').instance);
    for (let i = 1; i < picks.length; i++) expect(picks[i]).not.toBe(picks[i - 1]);
    expect(new Set(picks).size).toBe(3);
  });

  it('affinity keeps a handle on one instance and spreads handles over all of them', () => {
    const router = new Router(instances(3), 'affinity');
    const home = new Map(keys.map((key) => [key, router.pick(key).instance]));
    for (const key of keys.slice(0, 50)) expect(router.pick(key).instance).toBe(home.get(key));
    const perInstance = [0, 1, 2].map((i) => [...home.values()].filter((h) => h === i).length);
    for (const count of perInstance) expect(count).toBeGreaterThan(keys.length / 3 / 2);
  });

  it('affinity moves only the handles of an instance that went down', () => {
    let now = 0;
    const fleet = instances(3);
    const router = new Router(fleet, 'affinity', () => now);
    const before = new Map(keys.map((key) => [key, router.pick(key).instance]));
    router.markDown(fleet[2]!);
    const after = new Map(keys.map((key) => [key, router.pick(key).instance]));
    for (const key of keys) {
      if (before.get(key) === 2) expect(after.get(key)).not.toBe(2);
      else expect(after.get(key)).toBe(before.get(key));
    }
    now += 60_000;
    expect(keys.map((key) => router.pick(key).instance)).toEqual(keys.map((key) => before.get(key)));
  });

  it('affinity spreads requests about no handle, and a learned session sticks while its instance is up', () => {
    let now = 0;
    const fleet = instances(2);
    const router = new Router(fleet, 'affinity', () => now);
    expect(new Set(Array.from({ length: 4 }, () => router.pick('').instance)).size).toBe(2);
    const hashed = router.pick('session-1').instance;
    const other = fleet[1 - hashed]!;
    router.learn('session-1', other);
    expect(router.pick('session-1').instance).toBe(other.instance);
    router.markDown(other);
    expect(router.pick('session-1').instance).toBe(hashed);
    now += 60_000;
    expect(router.pick('session-1').instance).toBe(other.instance);
  });

  it('least connections picks the instance with the fewest calls in flight, whatever the handle', () => {
    const fleet = instances(3);
    const router = new Router(fleet, 'least-connections');
    router.started(fleet[0]!);
    router.started(fleet[0]!);
    router.started(fleet[1]!);
    expect(router.pick('cart_abc').instance).toBe(2);
    router.started(fleet[2]!);
    router.started(fleet[2]!);
    expect(router.pick('cart_abc').instance).toBe(1);
    router.finished(fleet[0]!);
    router.finished(fleet[0]!);
    expect(router.pick('cart_xyz').instance).toBe(0);
  });

  it('least connections spreads an idle fleet over every instance and leaves out one that is down', () => {
    let now = 0;
    const fleet = instances(3);
    const router = new Router(fleet, 'least-connections', () => now);
    expect(new Set(Array.from({ length: 3 }, () => router.pick('cart_abc').instance))).toEqual(new Set([0, 1, 2]));
    router.markDown(fleet[1]!);
    expect(Array.from({ length: 6 }, () => router.pick('').instance)).not.toContain(1);
    now += 60_000;
    expect(Array.from({ length: 6 }, () => router.pick('').instance)).toContain(1);
  });

  it('a retry avoids the instance that just failed', () => {
    const fleet = instances(2);
    const router = new Router(fleet, 'affinity');
    const home = router.pick('cart_x');
    expect(router.pick('cart_x', home).instance).not.toBe(home.instance);
  });
});

describe('nginx configuration', () => {
  const upstream = { name: 'cart', instances: ['127.0.0.1:4000', '127.0.0.1:4001'], port: 5000 };

  it('hashes on the handle header under affinity and round-robins otherwise', () => {
    expect(headerVariable('Mcp-Param-Cart-Id')).toBe('$http_mcp_param_cart_id');
    const hashed = nginxConfig([{ ...upstream, hashHeader: 'Mcp-Param-Cart-Id' }], '/tmp/x', false);
    expect(hashed).toContain('hash $http_mcp_param_cart_id consistent;');
    const plain = nginxConfig([upstream], '/tmp/x', false);
    expect(plain).not.toContain('hash ');
    for (const config of [hashed, plain]) {
      expect(config).toContain('server 127.0.0.1:4000 max_fails=1 fail_timeout=2s;');
      expect(config).toContain('server 127.0.0.1:4001 max_fails=1 fail_timeout=2s;');
      expect(config).toContain('listen 127.0.0.1:5000;');
      // The servers accept loopback Host names only; the upstream's name would be refused.
      expect(config).toContain('proxy_set_header Host 127.0.0.1;');
    }
  });

  it('balances by least connections under nginx-least-connections, on the address it is given', () => {
    const config = nginxConfig([{ ...upstream, leastConn: true }], '/tmp/x', false, '10.213.5.3');
    expect(config).toContain('least_conn;');
    expect(config).not.toContain('hash ');
    expect(config).toContain('listen 10.213.5.3:5000;');
    // nginx wants the balancing method before keepalive.
    expect(config.indexOf('least_conn;')).toBeLessThan(config.indexOf('keepalive 64;'));
    expect(nginxConfig([upstream], '/tmp/x', false)).not.toContain('least_conn');
  });

  it('runs as root only when started as root', () => {
    expect(nginxConfig([upstream], '/tmp/x', true)).toMatch(/^user root;/);
    expect(nginxConfig([upstream], '/tmp/x', false)).not.toContain('user ');
  });
});
