/**
 * The demo catalog: a few hundred products generated from a fixed seed, so every instance, every
 * test and the demo storefront agree on SKUs, names, prices and starting stock.
 */
export interface Product {
  sku: string;
  name: string;
  category: string;
  description: string;
  priceCents: number;
  stock: number;
}

export const CATALOG_SEED = 20260728;
export const CATALOG_SIZE = 300;

const CATEGORIES = [
  {
    code: 'TEA',
    name: 'tea',
    nouns: ['Green Tea', 'Black Tea', 'Oolong', 'Herbal Infusion', 'Matcha', 'Teapot', 'Tea Strainer'],
  },
  {
    code: 'COF',
    name: 'coffee',
    nouns: ['Espresso Beans', 'Filter Roast', 'Grinder', 'Pour-Over Kettle', 'French Press', 'Mug'],
  },
  {
    code: 'KIT',
    name: 'kitchen',
    nouns: ['Chef Knife', 'Cutting Board', 'Cast Iron Pan', 'Mixing Bowl', 'Whisk', 'Apron'],
  },
  { code: 'BOK', name: 'books', nouns: ['Cookbook', 'Field Guide', 'Notebook', 'Atlas', 'Novel', 'Sketchbook'] },
  { code: 'GAR', name: 'garden', nouns: ['Trowel', 'Seed Kit', 'Watering Can', 'Planter', 'Pruning Shears', 'Gloves'] },
  { code: 'AUD', name: 'audio', nouns: ['Headphones', 'Speaker', 'Turntable', 'Cable', 'Microphone', 'Radio'] },
];
const ADJECTIVES = [
  'Classic',
  'Compact',
  'Everyday',
  'Heritage',
  'Nordic',
  'Organic',
  'Pocket',
  'Studio',
  'Sunrise',
  'Travel',
  'Urban',
  'Woodland',
];
const MATERIALS = ['bamboo', 'ceramic', 'copper', 'linen', 'oak', 'recycled', 'steel', 'stoneware', 'walnut', 'wool'];

/** mulberry32: a tiny deterministic PRNG; quality is irrelevant, reproducibility is the point. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function generateCatalog(seed = CATALOG_SEED, size = CATALOG_SIZE): Product[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const counters = new Map<string, number>();
  const products: Product[] = [];
  for (let i = 0; i < size; i++) {
    const category = CATEGORIES[i % CATEGORIES.length]!;
    const n = (counters.get(category.code) ?? 0) + 1;
    counters.set(category.code, n);
    const adjective = pick(ADJECTIVES);
    const noun = pick(category.nouns);
    const material = pick(MATERIALS);
    // Every 25th product is sold out and every 10th is scarce, so stock errors are easy to demo.
    const stock = i % 25 === 7 ? 0 : i % 10 === 3 ? 1 + Math.floor(next() * 5) : 50 + Math.floor(next() * 950);
    products.push({
      sku: `${category.code}-${String(n).padStart(4, '0')}`,
      name: `${adjective} ${noun}`,
      category: category.name,
      description: `A ${adjective.toLowerCase()} ${noun.toLowerCase()} in ${material}.`,
      priceCents: 199 + Math.floor(next() * 200) * 100 + (next() < 0.5 ? 0 : 50),
      stock,
    });
  }
  return products;
}
