/** The adversarial suite's own parts: its verdict on an answer, and arguments generated from a schema. */
import fc from 'fast-check';
import * as z from 'zod/v4';
import { describe, expect, it } from 'vitest';
import { answerProblem, argumentsFor } from '../src/testing/adversarial.js';

const result = (value: object) => JSON.stringify({ jsonrpc: '2.0', id: 1, result: value });
const refusal = (text: string, code = 'CART_NOT_FOUND') =>
  result({ isError: true, content: [{ type: 'text', text }], _meta: { 'dev.sessionless/error': { code } } });

describe('answerProblem', () => {
  it.each([
    ['a 5xx', 500, '{}', /HTTP 500/],
    ['a body that is not JSON-RPC', 200, 'oops', /not JSON-RPC/],
    [
      'an internal JSON-RPC error',
      200,
      JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'x' } }),
      /internal/,
    ],
    [
      'the INTERNAL tool error',
      200,
      refusal('x failed with an internal error; it was logged.', 'INTERNAL'),
      /INTERNAL/,
    ],
    ['a refusal that is not a sentence', 200, refusal('E42'), /not a sentence/],
    ['a stack trace', 200, refusal('Something broke here.\n    at run (file.js:1:1)'), /stack trace/],
    ['a reply over the bound', 200, result({ content: [{ type: 'text', text: 'x'.repeat(2_000) }] }), /bytes/],
  ])('flags %s', (_name, status, body, problem) => {
    expect(answerProblem(status, body, 1_000)).toMatch(problem);
  });

  it('passes a success, a refusal with a sentence and a protocol error with a message', () => {
    expect(answerProblem(200, result({ content: [] }), 1_000)).toBeUndefined();
    expect(answerProblem(200, refusal('Cart cart_x was not found; call cart_create.'), 1_000)).toBeUndefined();
    const invalid = JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'Invalid params: name' } });
    expect(answerProblem(200, invalid, 1_000)).toBeUndefined();
  });
});

describe('argumentsFor', () => {
  it('generates valid arguments and hostile ones from a schema', () => {
    const input = z.object({
      id: z.string().max(30),
      count: z.number().int().min(1).max(50),
      tags: z.array(z.string()),
    });
    const samples = fc.sample(argumentsFor(input, { handles: { id: ['cart_x'] }, hugeChars: 100 }), {
      seed: 15,
      numRuns: 300,
    });
    expect(samples.some((args) => input.safeParse(args).success)).toBe(true);
    expect(samples.some((args) => !input.safeParse(args).success)).toBe(true);
    expect(samples.some((args) => args.id === 'cart_x')).toBe(true);
    expect(samples.some((args) => typeof args.id === 'string' && args.id.length > 30)).toBe(true);
    expect(samples.some((args) => args.count === 51 || args.count === 0)).toBe(true);
  });
});
