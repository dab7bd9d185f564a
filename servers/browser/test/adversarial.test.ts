/**
 * The adversarial suite: every browser tool called with arguments generated from its own input
 * schema, valid and hostile (huge, deep, odd Unicode, boundary numbers, wrong types, real and
 * unknown handles, refused URLs), against a real Chromium. No answer may be a 5xx, an internal
 * error, or a refusal without a sentence. A fixed seed and few calls per tool here (each may drive
 * the browser); ADVERSARIAL_RUNS=200 (npm run adversarial) runs longer.
 */
import fc from 'fast-check';
import {
  adversarialRuns,
  adversarialSeed,
  answerProblem,
  argumentsFor,
  toolRequest,
} from '@sessionless/kit/testing/adversarial';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { browserTools } from '../src/index.js';
import { browserInProcess, ok, type InProcessBrowsers } from './helpers.js';

const MAX_REPLY_BYTES = 4 * 1_048_576;
let fixture: InProcessBrowsers;
const handles: Record<string, string[]> = {
  browser_id: ['brw_AAAAAAAAAAAAAAAAAAAAAA'],
  ref: ['e1', 'e2', 'e5', 'f1e1'],
  key: ['Enter', 'Tab', 'Control+A'],
};

beforeAll(async () => {
  fixture = await browserInProcess({ BROWSER_QUOTA: '50' });
  const client = await fixture.connectModern();
  await client.listTools();
  const start_url = `${fixture.site.origin}/`;
  const created = ok<{ browser_id: string }>(
    await client.callTool({ name: 'browser_create', arguments: { start_url } }),
  );
  handles.browser_id!.push(created.browser_id);
  handles.url = [start_url, `${fixture.site.origin}/redirect?to=http%3A%2F%2F10.0.0.1%2F`, 'file:///etc/passwd'];
  handles.start_url = handles.url;
  await client.close();
}, 60_000);
afterAll(async () => {
  await fixture?.close();
});

describe.each(browserTools.map((tool) => [tool.name, tool] as const))('%s with generated arguments', (name, tool) => {
  it('never answers with a 5xx, an internal error or a refusal that is not a sentence', async () => {
    await fc.assert(
      fc.asyncProperty(argumentsFor(tool.input, { handles }), async (args) => {
        const { headers, body } = toolRequest(name, tool.input, args);
        const response = await fixture.fetch(fixture.url, { method: 'POST', headers, body });
        const problem = answerProblem(response.status, await response.text(), MAX_REPLY_BYTES);
        if (problem) throw new Error(`${name} ${JSON.stringify(args).slice(0, 300)}: ${problem}`);
      }),
      { seed: adversarialSeed(), numRuns: adversarialRuns(8), endOnFailure: true },
    );
  }, 120_000);
});
