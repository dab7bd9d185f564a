/**
 * Numbered schema migrations, one list per server, with a SQLite and a PostgreSQL version of each
 * step under the same id, so both stores go through the same history. Each is applied once, in
 * order, in a transaction; the `schema_migrations` table remembers which ran.
 */
import type { Database } from 'better-sqlite3';
import type { Queryable } from './statement.js';

export interface Migration {
  /** Unique, e.g. `cart-001-catalog`; applied in the order given. */
  id: string;
  /** The SQLite step: SQL, or a function for data generated in code. */
  sqlite?: string | ((db: Database) => void);
  /** The PostgreSQL step: SQL, or a function for data generated in code. */
  postgres?: string | ((db: Queryable) => Promise<void>);
}
