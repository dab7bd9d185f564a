/** `npm run docs`: rewrites every generated block of the docs from the committed reports. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { markdownFiles } from './files.js';
import { regenerate } from './generated.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
for (const file of markdownFiles(root)) {
  const text = readFileSync(`${root}${file}`, 'utf8');
  const next = regenerate(text, root);
  if (next !== text) {
    writeFileSync(`${root}${file}`, next);
    process.stdout.write(`updated   ${file}\n`);
  }
}
