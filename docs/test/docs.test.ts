/**
 * The docs check: CI fails when a documented command, file path, tool name, code excerpt or
 * result table drifts from the code and the committed reports. One test per Markdown file and
 * kind of check, so the failure names the file; each message names the line and the fix.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkCommands,
  checkCitedTests,
  checkExcerpts,
  checkLinks,
  checkPaths,
  checkToolNames,
  readFacts,
  type Problem,
} from '../check/checks.js';
import { markdownFiles } from '../check/files.js';
import { generatedBlocks } from '../check/generated.js';
import { parseMarkdown } from '../check/markdown.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const facts = readFacts(root);
const show = (problems: Problem[]) => problems.map((p) => `${p.file}:${p.line}: ${p.message}`);

describe('docs', () => {
  it('the facts were found (tools, scripts, harness commands)', () => {
    expect(facts.tools.has('cart_add_item')).toBe(true);
    expect(facts.tools.has('workspace_fork')).toBe(true);
    expect(facts.scripts.has('demo')).toBe(true);
    expect([...facts.harnessCommands]).toEqual(expect.arrayContaining(['run', 'sweep', 'scale', 'k6']));
  });

  for (const file of markdownFiles(root)) {
    const text = readFileSync(`${root}${file}`, 'utf8');
    const parsed = parseMarkdown(text);
    it(`${file}: excerpts, links, paths, tool names, commands and cited tests match the code`, () => {
      const problems = [
        ...checkExcerpts(file, parsed, facts),
        ...checkLinks(file, parsed, facts),
        ...checkPaths(file, parsed, facts),
        ...checkToolNames(file, parsed, facts),
        ...checkCommands(file, parsed, facts),
        ...checkCitedTests(file, text, facts),
      ];
      expect(show(problems)).toEqual([]);
    });
    const blocks = generatedBlocks(text, root);
    if (blocks.length) {
      it(`${file}: result tables equal what the committed reports say (npm run docs rewrites them)`, () => {
        for (const block of blocks) {
          expect(block.expected, `unknown generated block "${block.name}" at line ${block.line}`).not.toBeNull();
          expect(block.current, `${file}:${block.line}: "${block.name}" is stale; run npm run docs`).toBe(
            block.expected,
          );
        }
      });
    }
  }
});
