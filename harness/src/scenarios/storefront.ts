/**
 * Reading the demo storefront the way a scripted subagent does: from the accessibility snapshots
 * `browser_snapshot` returns (lines like `- link "Urban Matcha" [ref=e16]` and
 * `- definition [ref=e13]: TEA-0003`), never from the site's code. A page that does not have
 * what the script expects fails the scenario with the page in the message.
 */
import { ScenarioFailure } from '../shared/errors.js';

export interface ProductLink {
  ref: string;
  name: string;
  sku: string;
}

export interface ProductFacts {
  sku: string;
  name: string;
  price: string;
  stock: number;
}

const REF = /\[ref=(f?\d*e\d+)\]/;

/** The ref of the first element with this role and exact accessible name. */
export function refOf(snapshot: string, role: string, name: string): string {
  const line = snapshot.split('\n').find((l) => l.includes(`- ${role} "${name}"`) && REF.test(l));
  const ref = REF.exec(line ?? '')?.[1];
  if (!ref) throw new ScenarioFailure(`no ${role} "${name}" on the page:\n${clip(snapshot)}`);
  return ref;
}

/** The product links of a listing or search page, in page order. */
export function productLinks(snapshot: string): ProductLink[] {
  const lines = snapshot.split('\n');
  const links: ProductLink[] = [];
  lines.forEach((line, i) => {
    const link = /- link "((?:[^"\\]|\\.)*)" \[ref=(f?\d*e\d+)\]/.exec(line);
    const sku = /- \/url: \/product\/([A-Z]+-\d+)\s*$/.exec(lines[i + 1] ?? '')?.[1];
    if (link && sku) links.push({ name: link[1]!, ref: link[2]!, sku });
  });
  return links;
}

/** SKU, name, price and stock from a product page's definition list. */
export function productFacts(snapshot: string): ProductFacts {
  const facts = new Map<string, string>();
  let term: string | undefined;
  for (const line of snapshot.split('\n')) {
    const termMatch = /- term \[ref=[^\]]+\]: (.+)$/.exec(line);
    const definition = /- definition \[ref=[^\]]+\]: (.+)$/.exec(line);
    if (termMatch) term = unquote(termMatch[1]!);
    else if (definition && term) facts.set(term, unquote(definition[1]!));
  }
  const name = /- heading "((?:[^"\\]|\\.)*)" \[level=1\]/.exec(snapshot)?.[1];
  const sku = facts.get('SKU');
  const stock = Number(facts.get('In stock'));
  if (!sku || !name || !Number.isInteger(stock)) {
    throw new ScenarioFailure(`the page is not a product page (no SKU, name or stock):\n${clip(snapshot)}`);
  }
  return { sku, name, price: facts.get('Price') ?? '', stock };
}

/** The visitor id the /prefs page shows ("Visitor cookie: v-xxxx"), or undefined. */
export function visitorCookie(snapshot: string): string | undefined {
  return /Visitor cookie: (v-[a-z0-9]+)/.exec(snapshot)?.[1];
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return trimmed.startsWith('"') && trimmed.endsWith('"') ? (JSON.parse(trimmed) as string) : trimmed;
}

function clip(snapshot: string): string {
  return snapshot.length > 1500 ? `${snapshot.slice(0, 1500)}\n...` : snapshot;
}
