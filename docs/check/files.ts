/** The Markdown files the checks cover: the root README, every package README, and docs/. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function markdownFiles(root: string): string[] {
  const files = ['README.md'];
  for (const dir of ['servers', 'harness', 'scenarios', 'bench']) {
    const base = join(root, dir);
    if (existsSync(join(base, 'README.md'))) files.push(`${dir}/README.md`);
    if (!existsSync(base)) continue;
    for (const child of readdirSync(base, { withFileTypes: true })) {
      if (child.isDirectory() && existsSync(join(base, child.name, 'README.md'))) {
        files.push(`${dir}/${child.name}/README.md`);
      }
    }
  }
  for (const name of readdirSync(join(root, 'docs')).sort()) if (name.endsWith('.md')) files.push(`docs/${name}`);
  return files;
}
