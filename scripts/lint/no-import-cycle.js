// @ts-check
/**
 * A lint rule: no import cycles among a package's own modules, type-only imports included. A
 * cycle means a declaration lives in the wrong file (import-x/no-cycle skips `import type`, and
 * most cycles here were type imports). Relative specifiers (`./x.js`) resolve to the `.ts` source;
 * packages import each other only through their exports, and the boundaries rule keeps those one-way.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** @type {Map<string, { mtime: number, imports: string[] }>} */
const parsed = new Map();

/** @param {string} file */
function importsOf(file) {
  const mtime = statSync(file).mtimeMs;
  const cached = parsed.get(file);
  if (cached && cached.mtime === mtime) return cached.imports;
  const text = readFileSync(file, 'utf8');
  const imports = [];
  for (const match of text.matchAll(IMPORT)) {
    const target = resolveSource(file, match[1] ?? match[2] ?? '');
    if (target) imports.push(target);
  }
  parsed.set(file, { mtime, imports });
  return imports;
}

/** @param {string} from @param {string} specifier */
function resolveSource(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    base,
    `${base}.ts`,
    `${base}/index.ts`,
  ];
  return candidates.find((path) => /\.(ts|mts|js|mjs)$/.test(path) && existsSync(path));
}

/** The import path from `start` back to `goal`, if there is one. @param {string} start @param {string} goal */
function pathBack(start, goal) {
  /** @type {Map<string, string | null>} */
  const cameFrom = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const file = /** @type {string} */ (queue.shift());
    for (const next of importsOf(file)) {
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, file);
      if (next === goal) {
        const path = [next];
        for (let at = /** @type {string | null} */ (file); at; at = cameFrom.get(at) ?? null) path.unshift(at);
        return path;
      }
      queue.push(next);
    }
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow import cycles, type-only imports included' },
    messages: { cycle: 'import cycle: {{path}}; move the shared declaration to a module that both can import' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    /** @param {any} node */
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = resolveSource(file, specifier);
      if (!target) return;
      const back = pathBack(target, file);
      if (!back) return;
      const root = context.cwd;
      const path = [file, ...back].map((f) => relative(root, f)).join(' -> ');
      context.report({ node, messageId: 'cycle', data: { path } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default { rules: { 'no-import-cycle': rule } };
