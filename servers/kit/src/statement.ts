/**
 * A SQL statement for PostgreSQL and what runs one: the pool, or one transaction's connection.
 * Statements are prepared once per connection under a name derived from their text.
 */
import { createHash } from 'node:crypto';

/** A prepared statement: its text, and a name derived from it (pg prepares once per connection). */
export interface Statement {
  name: string;
  text: string;
}

export function statement(text: string): Statement {
  return { name: `s${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
}

/** What a store method runs its statements on: the pool, or one transaction's connection. */
export interface Queryable {
  query<R>(sql: Statement, values?: readonly unknown[]): Promise<R[]>;
}
