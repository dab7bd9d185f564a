/**
 * What the docs must not get wrong, checked against the repository itself: code excerpts still
 * appear in the files they name, links and repository paths exist, tool names are real tools,
 * and every command shown is a real npm script, harness command and flag, or file. Each problem
 * is one line naming the file, the line and what to change.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Parsed } from './markdown.js';

export interface Problem {
  file: string;
  line: number;
  message: string;
}

export interface Facts {
  root: string;
  tools: Set<string>;
  /** Argument and result field names of the tools (`cart_id`, `line_quantity`): not tool names. */
  fields: Set<string>;
  scripts: Set<string>;
  harnessCommands: Set<string>;
  /** The whole `sessionless-harness help` text: a flag shown in the docs must appear in it. */
  harnessUsage: string;
}

export function readFacts(root: string): Facts {
  const tools = new Set<string>();
  const fields = new Set<string>();
  for (const server of readdirSync(join(root, 'servers'))) {
    const dir = join(root, 'servers', server, 'src', 'tools');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const match of text.matchAll(/\bname: '([a-z]+_[a-z_]+)'/g)) tools.add(match[1]!);
      for (const match of text.matchAll(/^\s+([a-z]+_[a-z_]+):/gm)) fields.add(match[1]!);
    }
  }
  const scripts = new Set(
    Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: object }).scripts),
  );
  const cli = readFileSync(join(root, 'harness', 'src', 'cli.ts'), 'utf8');
  const harnessUsage = /const USAGE = `([\s\S]*?)`;/.exec(cli)?.[1] ?? '';
  const commandsBlock = /Commands:\n([\s\S]*?)\n\n/.exec(harnessUsage)?.[1] ?? '';
  const harnessCommands = new Set([...commandsBlock.matchAll(/^ {2}([a-z0-9]+)\b/gm)].map((m) => m[1]!));
  // Table names and the k6 scripts' metric names look like tool names too.
  for (const file of sourceFiles(join(root, 'servers')).concat(sourceFiles(join(root, 'scenarios', 'k6')))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/CREATE TABLE (\w+)/g)) fields.add(match[1]!);
    for (const match of text.matchAll(/new (?:Counter|Trend|Rate|Gauge)\(\s*'(\w+)'/g)) fields.add(match[1]!);
    for (const match of text.matchAll(/`\$\{\w+\}(_\w+)`/g))
      for (const s of ['cart', 'workspace', 'browser']) fields.add(s + match[1]!);
  }
  for (const tool of tools) fields.delete(tool);
  return { root, tools, fields, scripts, harnessCommands, harnessUsage };
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : /\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Each excerpt's lines (trimmed) appear consecutively in the named file; `// ...` lines are gaps. */
export function checkExcerpts(file: string, parsed: Parsed, facts: Facts): Problem[] {
  const problems: Problem[] = [];
  for (const fence of parsed.fences) {
    if (!fence.excerptOf) continue;
    const source = join(facts.root, fence.excerptOf);
    if (!existsSync(source)) {
      problems.push({ file, line: fence.line, message: `the excerpt names ${fence.excerptOf}, which does not exist` });
      continue;
    }
    const lines = readFileSync(source, 'utf8')
      .split('\n')
      .map((l) => l.trim());
    const segments = splitOnGaps(fence.lines.map((l) => l.trim()));
    let from = 0;
    for (const segment of segments) {
      const at = findRun(lines, segment, from);
      if (at < 0) {
        const first = segment[0] ?? '';
        problems.push({
          file,
          line: fence.line,
          message: `excerpt of ${fence.excerptOf} drifted: no longer finds the lines starting "${first.slice(0, 70)}"; copy them again from the file`,
        });
        break;
      }
      from = at + segment.length;
    }
  }
  return problems;
}

function splitOnGaps(lines: string[]): string[][] {
  const segments: string[][] = [[]];
  for (const line of lines) {
    if (/^(\/\/|--|#)\s*\.\.\.$/.test(line)) segments.push([]);
    else segments.at(-1)!.push(line);
  }
  return segments.map((s) => trimBlank(s)).filter((s) => s.length > 0);
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === '') start++;
  while (end > start && lines[end - 1] === '') end--;
  return lines.slice(start, end);
}

function findRun(haystack: string[], run: string[], from: number): number {
  for (let i = from; i + run.length <= haystack.length; i++) {
    if (run.every((line, k) => haystack[i + k] === line)) return i;
  }
  return -1;
}

/**
 * A test cited as proof (`` `servers/x/test/y.test.ts` › "name" ``) still exists: the file does,
 * and it still has a test of that name (an `it.each` name matches with its `%s` filled in).
 */
export function checkCitedTests(file: string, text: string, facts: Facts): Problem[] {
  const problems: Problem[] = [];
  for (const match of text.matchAll(/`([\w./-]+\.test\.ts)`\s*›\s*"([^"]+)"/g)) {
    const [, path, cited] = match as unknown as [string, string, string];
    const line = text.slice(0, match.index).split('\n').length;
    const name = cited.replace(/\s+/g, ' ').trim();
    const source = join(facts.root, path);
    if (!existsSync(source)) {
      problems.push({ file, line, message: `the cited test file ${path} does not exist` });
    } else if (!testNames(readFileSync(source, 'utf8')).some((matches) => matches(name))) {
      problems.push({ file, line, message: `${path} has no test named "${name}"; cite the test as it is named now` });
    }
  }
  return problems;
}

/** Every `it(...)`/`describe(...)` title in a test file, as a matcher (`%s`, `%j`, `%i` match anything). */
function testNames(source: string): Array<(cited: string) => boolean> {
  // `it('...')`, `it.runIf(x)('...')`, `describe('...')`, and the title after an `it.each([...])` table.
  const opener = /(?:\b(?:it|test|describe)(?:\.(?:only|concurrent|(?:each|runIf|skipIf)\([^)]*\)))*|\]\))\(\s*/;
  const titles = [...source.matchAll(new RegExp(`${opener.source}(['"\`])((?:\\\\.|(?!\\1).)*)\\1`, 'gs'))];
  return titles.map(([, , title]) => {
    const literal = title!.replace(/\\(.)/g, '$1').replace(/\s+/g, ' ');
    const escaped = literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%[sdijo]/g, '.+');
    const pattern = new RegExp(`^${escaped}$`);
    // A citation may stop at a quote inside the title: a prefix of the title counts.
    return (cited: string) => pattern.test(cited) || literal.startsWith(cited);
  });
}

/** Relative links point at files that exist (anchors are not checked). */
export function checkLinks(file: string, parsed: Parsed, facts: Facts): Problem[] {
  return parsed.links
    .filter((link) => !/^([a-z]+:|#|mailto:)/i.test(link.text))
    .filter((link) => !existsSync(resolve(dirname(join(facts.root, file)), link.text.split('#')[0]!)))
    .map((link) => ({ file, line: link.line, message: `the link ${link.text} points at nothing` }));
}

const REPO_PATH = /^(?:\.\/)?((?:servers|harness|scenarios|docs|bench|scripts|\.github|\.ci)\/[\w./@-]*)$/;

/** Repository paths in inline code exist; a `dist/` path counts when its source does. */
export function checkPaths(file: string, parsed: Parsed, facts: Facts): Problem[] {
  return parsed.code
    .map((span) => ({ span, path: REPO_PATH.exec(span.text)?.[1] }))
    .filter(({ path }) => path !== undefined && !pathExists(facts.root, path))
    .map(({ span, path }) => ({ file, line: span.line, message: `the path ${path} does not exist` }));
}

export function pathExists(root: string, path: string): boolean {
  if (existsSync(join(root, path))) return true;
  const source = path.replace('/dist/', '/src/').replace(/\.js$/, '.ts');
  return source !== path && existsSync(join(root, source));
}

/** A tool name in inline code is a tool of one of the servers. */
export function checkToolNames(file: string, parsed: Parsed, facts: Facts): Problem[] {
  return parsed.code
    .filter((span) => /^(cart|workspace|browser)_[a-z_]+$/.test(span.text))
    .filter((span) => !facts.tools.has(span.text) && !facts.fields.has(span.text))
    .map((span) => ({ file, line: span.line, message: `${span.text} is not a tool of any server` }));
}

const SHELL = new Set(['', 'sh', 'bash', 'shell', 'console']);

/** Commands in shell blocks and inline code: npm scripts, harness commands and flags, files run. */
export function checkCommands(file: string, parsed: Parsed, facts: Facts): Problem[] {
  const candidates = [
    ...parsed.fences
      .filter((fence) => SHELL.has(fence.lang) && !fence.excerptOf)
      .flatMap((fence) => fence.lines.map((text, i) => ({ line: fence.line + 1 + i, text }))),
    ...parsed.code,
  ];
  const problems: Problem[] = [];
  for (const { line, text } of candidates) {
    for (const command of text
      .replace(/^\$\s+/, '')
      .replace(/\s+#.*$/, '')
      .split(/&&|;|\|/)) {
      const problem = checkCommand(command.trim().split(/\s+/), facts);
      if (problem) problems.push({ file, line, message: problem });
    }
  }
  return problems;
}

function checkCommand(words: string[], facts: Facts): string | null {
  const [program, first, second] = words;
  if (program === 'npm' && first === 'run' && second && !second.startsWith('-')) {
    if (!facts.scripts.has(second)) return `"npm run ${second}" is not a script in package.json`;
    return second === 'bench' ? checkFlags(words.slice(words.indexOf('--') + 1), facts) : null;
  }
  if (program === 'npx' && first === 'sessionless-harness' && second && !second.startsWith('-')) {
    if (!facts.harnessCommands.has(second)) return `"sessionless-harness ${second}" is not a harness command`;
    return checkFlags(words.slice(3), facts);
  }
  if (
    (program === 'node' || program === 'tsx' || program === 'bash') &&
    first &&
    /^[\w.][\w./-]*\.(m?js|ts|sh)$/.test(first)
  ) {
    return pathExists(facts.root, first) ? null : `"${program} ${first}": ${first} does not exist`;
  }
  if (program === 'k6' && first === 'run' && second && /\.(ts|js)$/.test(second)) {
    return existsSync(join(facts.root, second)) ? null : `"k6 run ${second}": ${second} does not exist`;
  }
  return null;
}

function checkFlags(words: string[], facts: Facts): string | null {
  const unknown = words
    .filter((w) => /^--[a-z]/.test(w))
    .find((flag) => !facts.harnessUsage.includes(flag.split('=')[0]!));
  return unknown ? `the harness has no option ${unknown} (see sessionless-harness help)` : null;
}

export function relativeTo(root: string, file: string): string {
  return relative(root, file);
}
