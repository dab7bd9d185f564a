/**
 * Reading the catalog: search by words and look up by SKU. Read-only, so any instance answers
 * from the shared store without coordination.
 */
import { DomainError, type Database } from '@sessionless/kit';
import type { Product } from './catalog.js';

export interface ProductStore {
  search(query: string, limit: number): Promise<Product[]>;
  getOrThrow(sku: string): Promise<Product>;
}

interface Row {
  sku: string;
  name: string;
  category: string;
  description: string;
  price_cents: number;
  stock: number;
}

const toProduct = (row: Row): Product => ({
  sku: row.sku,
  name: row.name,
  category: row.category,
  description: row.description,
  priceCents: row.price_cents,
  stock: row.stock,
});

export function unknownSku(sku: string): DomainError {
  return new DomainError(
    'UNKNOWN_SKU',
    `No product has SKU ${JSON.stringify(sku)}; call cart_search_products to find a valid SKU.`,
  );
}

export class SqliteProductStore implements ProductStore {
  private readonly bySku;
  private readonly matching;

  constructor(db: Database) {
    this.bySku = db.prepare<[string], Row>(`SELECT * FROM products WHERE sku = ?`);
    // Every word must appear in the SKU, name, category or description; name hits rank first.
    this.matching = db.prepare<[string, string, number], Row>(`
      SELECT p.* FROM products p
      WHERE NOT EXISTS (
        SELECT 1 FROM json_each(?) w
        WHERE instr(lower(p.sku || ' ' || p.name || ' ' || p.category || ' ' || p.description), w.value) = 0)
      ORDER BY (SELECT count(*) FROM json_each(?) w WHERE instr(lower(p.name), w.value) > 0) DESC, p.sku
      LIMIT ?`);
  }

  async search(query: string, limit: number): Promise<Product[]> {
    const words = JSON.stringify(query.toLowerCase().split(/\s+/).filter(Boolean));
    return this.matching.all(words, words, limit).map(toProduct);
  }

  async getOrThrow(sku: string): Promise<Product> {
    const row = this.bySku.get(sku);
    if (!row) throw unknownSku(sku);
    return toProduct(row);
  }
}
