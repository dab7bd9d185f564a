/**
 * The cart server's tables, in both store dialects under the same numbered ids. Cart lines hold
 * quantities only; prices come from the catalog, and the cart's currency converts them at fixed
 * demo rates. Orders are kept after their cart ends. Keys compare byte by byte in both (`COLLATE
 * "C"` on PostgreSQL), so every list is in the same order whichever store answers.
 */
import { statement, type Database, type Migration, type Queryable } from '@sessionless/kit';
import { generateCatalog } from './catalog.js';

export const cartMigrations: Migration[] = [
  {
    id: 'cart-001-tables',
    sqlite: `
      CREATE TABLE products (
        sku          TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        category     TEXT NOT NULL,
        description  TEXT NOT NULL,
        price_cents  INTEGER NOT NULL CHECK (price_cents > 0),
        stock        INTEGER NOT NULL CHECK (stock >= 0)
      ) STRICT;
      CREATE TABLE carts (
        id          TEXT PRIMARY KEY,
        currency    TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'checked_out')),
        version     INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL,
        order_id    TEXT
      ) STRICT;
      CREATE TABLE cart_lines (
        cart_id   TEXT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
        sku       TEXT NOT NULL REFERENCES products (sku),
        quantity  INTEGER NOT NULL CHECK (quantity > 0),
        added_at  INTEGER NOT NULL,
        PRIMARY KEY (cart_id, sku)
      ) STRICT;
      CREATE TABLE orders (
        id               TEXT PRIMARY KEY,
        cart_id          TEXT NOT NULL,
        idempotency_key  TEXT NOT NULL,
        currency         TEXT NOT NULL,
        total_cents      INTEGER NOT NULL,
        lines            TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        UNIQUE (cart_id, idempotency_key)
      ) STRICT;`,
    postgres: `
      CREATE TABLE products (
        sku          TEXT COLLATE "C" PRIMARY KEY,
        name         TEXT NOT NULL,
        category     TEXT NOT NULL,
        description  TEXT NOT NULL,
        price_cents  INTEGER NOT NULL CHECK (price_cents > 0),
        stock        INTEGER NOT NULL CHECK (stock >= 0)
      );
      CREATE TABLE carts (
        id          TEXT COLLATE "C" PRIMARY KEY,
        currency    TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'checked_out')),
        version     INTEGER NOT NULL DEFAULT 0,
        created_at  BIGINT NOT NULL,
        order_id    TEXT
      );
      CREATE TABLE cart_lines (
        cart_id   TEXT COLLATE "C" NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
        sku       TEXT COLLATE "C" NOT NULL REFERENCES products (sku),
        quantity  INTEGER NOT NULL CHECK (quantity > 0),
        added_at  BIGINT NOT NULL,
        PRIMARY KEY (cart_id, sku)
      );
      CREATE TABLE orders (
        id               TEXT COLLATE "C" PRIMARY KEY,
        cart_id          TEXT COLLATE "C" NOT NULL,
        idempotency_key  TEXT COLLATE "C" NOT NULL,
        currency         TEXT NOT NULL,
        total_cents      BIGINT NOT NULL,
        lines            TEXT NOT NULL,
        created_at       BIGINT NOT NULL,
        UNIQUE (cart_id, idempotency_key)
      );`,
  },
  {
    id: 'cart-002-seed-catalog',
    sqlite: (db: Database) => {
      const insert = db.prepare(
        `INSERT OR IGNORE INTO products (sku, name, category, description, price_cents, stock)
         VALUES (@sku, @name, @category, @description, @priceCents, @stock)`,
      );
      for (const product of generateCatalog()) insert.run(product);
    },
    postgres: async (db: Queryable) => {
      const catalog = generateCatalog();
      const column = <K extends keyof (typeof catalog)[number]>(key: K) => catalog.map((product) => product[key]);
      await db.query(
        statement(`
          INSERT INTO products (sku, name, category, description, price_cents, stock)
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[])
          ON CONFLICT (sku) DO NOTHING`),
        [
          column('sku'),
          column('name'),
          column('category'),
          column('description'),
          column('priceCents'),
          column('stock'),
        ],
      );
    },
  },
  {
    // What a keyed add did, so a retry (perhaps on another instance, after the first one died
    // before answering) returns the same answer instead of adding the units twice.
    id: 'cart-003-add-receipts',
    sqlite: `
      CREATE TABLE add_receipts (
        cart_id          TEXT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
        idempotency_key  TEXT NOT NULL,
        sku              TEXT NOT NULL,
        quantity         INTEGER NOT NULL,
        line_quantity    INTEGER NOT NULL,
        version          INTEGER NOT NULL,
        PRIMARY KEY (cart_id, idempotency_key)
      ) STRICT, WITHOUT ROWID;`,
    postgres: `
      CREATE TABLE add_receipts (
        cart_id          TEXT COLLATE "C" NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
        idempotency_key  TEXT COLLATE "C" NOT NULL,
        sku              TEXT NOT NULL,
        quantity         INTEGER NOT NULL,
        line_quantity    INTEGER NOT NULL,
        version          INTEGER NOT NULL,
        PRIMARY KEY (cart_id, idempotency_key)
      );`,
  },
];
