/**
 * The CPU profile split: which part of serving a call each frame's code belongs to, and a
 * hand-made profile split into shares of its busy time (native frames count for their caller).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { partOf, splitNewestProfile } from '../src/scale/bench/profile.js';

const dir = mkdtempSync(join(tmpdir(), 'profile-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench --profile', () => {
  it('names the part of a call each module belongs to', () => {
    const root = 'file:///work/main';
    expect(partOf(`${root}/node_modules/zod/v4/core/parse.js`)).toBe('validation');
    expect(partOf(`${root}/node_modules/@modelcontextprotocol/server/dist/index.mjs`)).toBe('SDK dispatch');
    expect(partOf(`${root}/node_modules/jose/dist/webapi/jwt/verify.js`)).toBe('auth');
    expect(partOf(`${root}/servers/kit/dist/auth.js`)).toBe('auth');
    expect(partOf(`${root}/node_modules/prom-client/lib/counter.js`)).toBe('metrics');
    expect(partOf(`${root}/node_modules/better-sqlite3/lib/methods/transaction.js`)).toBe('store');
    expect(partOf(`${root}/servers/kit/dist/sqlite-handle-store.js`)).toBe('store');
    expect(partOf(`${root}/servers/cart/dist/domain/sqlite-store.js`)).toBe('store');
    expect(partOf(`${root}/servers/cart/dist/tools/cart-add-item.js`)).toBe('tool');
    expect(partOf(`${root}/servers/kit/dist/lean-path.js`)).toBe('kit');
    expect(partOf('node:internal/webstreams/readablestream')).toBe('web streams');
    expect(partOf('node:internal/deps/undici/undici')).toBe('web streams');
    expect(partOf('node:_http_server')).toBe('HTTP');
    expect(partOf('node:internal/util')).toBe('other');
    expect(partOf('')).toBeUndefined();
  });

  it("splits a profile's busy time: native frames count for their caller, GC apart, idle left out", () => {
    const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
      id,
      callFrame: { functionName, url, scriptId: '0', lineNumber: 0, columnNumber: 0 },
      children,
    });
    const profile = {
      nodes: [
        frame(1, '(root)', '', [2, 3, 4, 5]),
        frame(2, 'parserOnHeadersComplete', 'node:_http_common', [6]),
        frame(3, '(garbage collector)', ''),
        frame(4, '(idle)', ''),
        frame(5, 'addItem', 'file:///r/servers/cart/dist/domain/sqlite-store.js', [7]),
        frame(6, 'parse', ''), // JSON.parse, called from the HTTP parser's callback
        frame(7, 'run', ''), // the SQLite statement, native
      ],
      samples: [2, 6, 6, 3, 4, 4, 4, 5, 7, 7],
      timeDeltas: [100, 100, 100, 100, 5000, 5000, 5000, 100, 100, 100],
      startTime: 0,
      endTime: 15700,
    };
    const profiles = join(dir, 'cart');
    writeFileSync(join(dir, 'not-a-profile.txt'), '');
    rmSync(profiles, { recursive: true, force: true });
    mkdirSync(profiles);
    writeFileSync(join(profiles, 'CPU.1.cpuprofile'), JSON.stringify(profile));
    const split = splitNewestProfile(profiles)!;
    expect(split.busyMs).toBe(1); // 700 µs busy, rounded
    expect(split.shares.HTTP).toBe(42.9); // 300 of 700
    expect(split.shares.store).toBe(42.9);
    expect(split.shares.GC).toBe(14.3);
    expect(split.shares.auth).toBe(0);
    expect(splitNewestProfile(join(dir, 'none'))).toBeUndefined();
  });
});
