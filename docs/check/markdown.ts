/**
 * Just enough Markdown for the docs checks: the fenced code blocks (with the excerpt marker
 * that may precede one), the inline code spans and the relative links of a file, each with
 * its line number, so a failure can say exactly where to look.
 */

export interface Fence {
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  lines: string[];
  /** The file named by `<!-- excerpt: path -->` on the line before the fence, if any. */
  excerptOf: string | null;
}

export interface Span {
  line: number;
  text: string;
}

export interface Parsed {
  fences: Fence[];
  /** Inline code outside fences. */
  code: Span[];
  /** Link targets outside fences. */
  links: Span[];
}

const EXCERPT = /^<!--\s*excerpt:\s*(\S+)\s*-->$/;

export function parseMarkdown(text: string): Parsed {
  const lines = text.split('\n');
  const parsed: Parsed = { fences: [], code: [], links: [] };
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(lines[i]!);
    if (open) {
      const marker = open[2]!;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !lines[j]!.trim().startsWith(marker); j++) body.push(lines[j]!);
      const previous = lines[i - 1]?.trim() ?? '';
      parsed.fences.push({
        line: i + 1,
        lang: open[3] ?? '',
        lines: body,
        excerptOf: EXCERPT.exec(previous)?.[1] ?? null,
      });
      i = j;
      continue;
    }
    const line = lines[i]!;
    for (const match of line.matchAll(/(`+)([^`]+?)\1/g)) parsed.code.push({ line: i + 1, text: match[2]!.trim() });
    const withoutCode = line.replace(/(`+)[^`]+?\1/g, '');
    for (const match of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      parsed.links.push({ line: i + 1, text: match[1]! });
    }
  }
  return parsed;
}
