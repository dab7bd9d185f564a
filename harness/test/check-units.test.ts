/**
 * The pure parts of `check`: the entropy estimate on samples of ids of known shapes (random,
 * UUIDs, counters, timestamps), and handle discovery from tool lists whose names follow no
 * convention the check knows; the kit's own ids and a lookalike of one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { estimateEntropy } from '../src/check/entropy.js';
import { lookalike } from '../src/check/handle-checks.js';
import { discoverHandles } from '../src/check/handles.js';
import { firstDifference } from '../src/check/lists.js';
import { toolsOf } from '../src/check/tools.js';

const NOW = Date.UTC(2026, 11, 7);
const ids = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));

describe('estimateEntropy', () => {
  it('16 random bytes in base64url behind a kind prefix: over 128 bits, prefix set aside', () => {
    const e = estimateEntropy(
      ids(3, () => `cart_${randomBytes(16).toString('base64url')}`),
      NOW,
    );
    expect(e).toMatchObject({ prefix: 'cart_', length: 22, fixedPositions: 0, findings: [] });
    expect(e.bits).toBeGreaterThanOrEqual(128);
  });

  it('16 random bytes in hex: exactly 128 bits', () => {
    const e = estimateEntropy(
      ids(3, () => randomBytes(16).toString('hex')),
      NOW,
    );
    expect(e).toMatchObject({ alphabet: 'hex', length: 32, bits: 128 });
  });

  it('UUIDv4 falls short at 122 bits; a UUIDv7 carries a timestamp', () => {
    expect(
      estimateEntropy(
        ids(3, () => randomUUID()),
        NOW,
      ).bits,
    ).toBe(122);
    const v7 = ids(
      3,
      (i) => `0193a1b2-c3d4-7${randomBytes(2).toString('hex').slice(1)}-${i}abc-${randomBytes(6).toString('hex')}`,
    );
    expect(estimateEntropy(v7, NOW)).toMatchObject({
      bits: 74,
      findings: [expect.stringMatching(/UUIDv7s, which carry a timestamp/)],
    });
  });

  it('a counter, and a millisecond timestamp followed by random bytes, are seen through', () => {
    const counter = estimateEntropy(['order_000041', 'order_000042', 'order_000043'], NOW);
    expect(counter.bits).toBeLessThan(20);
    expect(counter.fixedPositions).toBe(5);
    const stamped = estimateEntropy(
      ids(3, (i) => `job_${NOW + i}${randomBytes(8).toString('hex')}`),
      NOW,
    );
    expect(stamped.findings.join(' ')).toMatch(/read as the current time/);
    expect(stamped.bits).toBeLessThan(128);
  });

  it('one sample gives an estimate from length and alphabet alone', () => {
    const e = estimateEntropy([`ws_${randomBytes(16).toString('base64url')}`], NOW);
    expect(e).toMatchObject({ prefix: 'ws_', sample: 1, fixedPositions: 0 });
  });
});

describe('firstDifference', () => {
  it('names the first field that differs and shows both strings where they part', () => {
    const list = (quota: number) =>
      JSON.stringify({
        result: { tools: [{ name: 'a', description: `Create a cart; each user may hold ${quota} at once.` }] },
      });
    expect(firstDifference(list(20), list(5))).toBe(
      'result.tools[0].description: "… each user may hold 20 at once." vs "… each user may hold 5 at once."',
    );
    expect(firstDifference('{"a":1,"b":2}', '{"b":2,"a":1}')).toBe(
      'the same content in different bytes (key order or spacing)',
    );
  });
});

describe('discoverHandles', () => {
  const tool = (name: string, input: object, output: object | null, annotations: object = {}) => ({
    name,
    inputSchema: { type: 'object', ...input },
    ...(output ? { outputSchema: { type: 'object', properties: output } } : {}),
    annotations,
  });

  it('finds a handle by the shape of the tool list, whatever the tools are called', () => {
    const tools = toolsOf({
      tools: [
        tool(
          'mint_ticket',
          { properties: { seat: { type: 'string', default: 'any' } }, required: ['seat'] },
          { ticket_ref: { type: 'string' } },
          { readOnlyHint: false },
        ),
        tool(
          'ticket_peek',
          { properties: { ticket_ref: { type: 'string', 'x-mcp-header': 'Ticket' } }, required: ['ticket_ref'] },
          null,
          { readOnlyHint: true },
        ),
        tool('ticket_void', { properties: { ticket_ref: { type: 'string' } }, required: ['ticket_ref'] }, null, {
          destructiveHint: true,
        }),
        tool(
          'ticket_move',
          {
            properties: { ticket_ref: { type: 'string' }, seat: { type: 'string' } },
            required: ['ticket_ref', 'seat'],
          },
          null,
        ),
        // Returns an url that another tool takes: not a handle (neither marked nor named like an id).
        tool('open_page', { properties: {} }, { url: { type: 'string' } }, { readOnlyHint: false }),
        tool('go', { properties: { url: { type: 'string' } }, required: ['url'] }, null),
      ],
    });
    const [kind, ...more] = discoverHandles(tools);
    expect(more).toEqual([]);
    expect(kind).toMatchObject({
      argument: 'ticket_ref',
      create: { tool: 'mint_ticket', arguments: { seat: 'any' } },
      read: { tool: 'ticket_peek', arguments: {} },
      destroy: { tool: 'ticket_void', arguments: {} },
      takers: ['ticket_peek', 'ticket_void', 'ticket_move'],
    });
  });

  it('a tool that takes the id and returns it too (a fork) is not its creator', () => {
    const tools = toolsOf({
      tools: [
        tool(
          'fork',
          { properties: { box_id: { type: 'string' } }, required: ['box_id'] },
          { box_id: { type: 'string' } },
        ),
        tool('peek', { properties: { box_id: { type: 'string' } }, required: ['box_id'] }, null, {
          readOnlyHint: true,
        }),
      ],
    });
    expect(discoverHandles(tools)).toEqual([]);
  });

  it('a lookalike keeps the prefix, separators and length, and is another id', () => {
    const id = `cart_${randomBytes(16).toString('base64url')}`;
    const other = lookalike(id);
    expect(other).not.toBe(id);
    expect(other).toMatch(/^cart_[A-Za-z0-9_-]{22}$/);
    expect(lookalike('3f6c1a2e-1b7d-4c3e-9a10-5d2f8e7b6c4a')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });
});
