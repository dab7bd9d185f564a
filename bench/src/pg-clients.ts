/**
 * Which PostgreSQL client the stores use: `pg` (what they run on) against `postgres` 3.4.x, on the
 * cart's own add. Both drive the same store classes (the cart's and the handle registry's, through
 * the kit's `Postgres` surface), each call as `cart_add_item` does it: resolve the handle, the
 * keyed add in one transaction, end the call; no MCP or HTTP. Per client and connection count:
 * adds/s and this process's CPU per add, medians of interleaved rounds, on a throwaway PostgreSQL
 * (or --database-url). Prints a table; --json writes the figures. Method: bench/README.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cartKind, cartMigrations, cartStores, DEFAULT_CART_LIMITS, generateCatalog } from '@sessionless/server-cart';
import {
  handleMigrations,
  Handles,
  openStore,
  PostgresHandleStore,
  startCall,
  type Postgres,
  type Queryable,
  type Statement,
} from '@sessionless/kit';
import { dropSchema, startPostgresCluster } from '@sessionless/kit/testing';
import postgres from 'postgres';
import { log, out, tableLines } from './lib/table.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '1,4' },
    durable: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
    json: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = values.connections.split(',').map(Number);
const SCHEMA = `client_bench_${process.pid}`;
const CLIENTS = ['pg', 'postgres'] as const;
type ClientName = (typeof CLIENTS)[number];

interface Window {
  adds: number;
  seconds: number;
  cpuSeconds: number;
}

const cluster = values['database-url'] ? undefined : await startPostgresCluster({ durable: values.durable });
process.once('SIGINT', () => {
  cluster?.stop();
  process.exit(130);
});
const url = values['database-url'] ?? cluster!.url;
try {
  // The schema and the seeded catalog, made once by the stores' own migrations (through pg).
  const setup = await open('pg', 1);
  await setup.close();
  const windows = new Map<string, Window[]>();
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, and the order reversed every other round, so drift in the machine hits both alike.
    const order = round % 2 === 0 ? CLIENTS : [...CLIENTS].reverse();
    for (const connections of CONNECTIONS) {
      for (const client of order) {
        const window = await measure(client, connections);
        log(
          `round ${round + 1}: ${client}, ${connections} connection(s): ${Math.round(window.adds / window.seconds)} adds/s`,
        );
        const key = `${client}:${connections}`;
        windows.set(key, [...(windows.get(key) ?? []), window]);
      }
    }
  }
  const rows = CONNECTIONS.flatMap((connections) =>
    CLIENTS.map((client) => {
      const runs = windows.get(`${client}:${connections}`)!;
      if (runs.some((run) => run.adds === 0))
        throw new Error(`${client} with ${connections} connection(s) added nothing`);
      return {
        client,
        connections,
        addsPerSecond: Math.round(median(runs.map((run) => run.adds / run.seconds))),
        clientCpuMsPerAdd: Math.round(1000 * median(runs.map((run) => (1000 * run.cpuSeconds) / run.adds))) / 1000,
      };
    }),
  );
  const ratios = CONNECTIONS.map((connections) => {
    const [pg, pjs] = CLIENTS.map((client) => rows.find((r) => r.client === client && r.connections === connections)!);
    return { connections, cpuPgOverPostgres: Math.round((100 * pg!.clientCpuMsPerAdd) / pjs!.clientCpuMsPerAdd) / 100 };
  });
  const report = {
    kind: 'pg-clients@1',
    versions: { pg: version('pg'), postgres: version('postgres') },
    durable: values['database-url'] ? null : values.durable,
    seconds: SECONDS,
    rounds: ROUNDS,
    rows,
    ratios,
    command: `node bench/dist/pg-clients.js ${process.argv.slice(2).join(' ')}`.trim(),
  };
  const table = [
    ['client', 'connections', 'adds/s', 'client CPU ms/add'],
    ...rows.map((r) => [
      `${r.client} ${report.versions[r.client]}`,
      String(r.connections),
      String(r.addsPerSecond),
      r.clientCpuMsPerAdd.toFixed(3),
    ]),
  ];
  tableLines(table).forEach((line) => out(line));
  for (const r of ratios)
    out(`${r.connections} connection(s): pg's CPU per add is ${r.cpuPgOverPostgres} x postgres's`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  try {
    if (!cluster) await dropSchema(url, SCHEMA);
  } finally {
    cluster?.stop();
  }
}

/** One window: `connections` loops at once, each on a cart of its own, for SECONDS. */
async function measure(client: ClientName, connections: number): Promise<Window> {
  const db = await open(client, connections);
  try {
    const handles = new Handles({ store: new PostgresHandleStore(db) });
    const { carts } = cartStores(db);
    const kind = cartKind({ ...DEFAULT_CART_LIMITS, quotaPerPrincipal: 1_000_000 }, carts);
    handles.register(kind);
    const skus = generateCatalog()
      .filter((product) => product.stock >= 500)
      .map((product) => product.sku);
    const principal = `pg-clients#${client}`;
    const newCart = async () => {
      const call = startCall(principal);
      const { handle } = await handles.create(kind, call, (tx, h) => carts.create(tx, h.id, 'USD', h.createdAt));
      await call.end();
      return handle.id;
    };
    const loop = async (n: number, until: number, counting: boolean) => {
      let cart = await newCart();
      let adds = 0;
      for (let i = 0; performance.now() < until; i++) {
        if (i > 0 && i % 400 === 0) cart = await newCart(); // well under any line's stock
        const call = startCall(principal);
        await handles.resolveOrThrow(kind, call, cart);
        await carts.addItem(cart, skus[i % skus.length]!, 1, Date.now(), `${client}-${n}-${i}-${counting}`);
        await call.end();
        adds += 1;
      }
      return adds;
    };
    // A short warm-up: connections open, statements prepared, V8 warm.
    await Promise.all(Array.from({ length: connections }, (_, n) => loop(n, performance.now() + 1_000, false)));
    const cpu = process.cpuUsage();
    const started = performance.now();
    const adds = await Promise.all(
      Array.from({ length: connections }, (_, n) => loop(n, started + SECONDS * 1000, true)),
    );
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { adds: adds.reduce((a, b) => a + b, 0), seconds, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    await db.close();
  }
}

/** The kit's `Postgres` on either client: `pg` is the kit's own; `postgres` the same surface over postgres.js. */
async function open(client: ClientName, poolSize: number): Promise<Postgres> {
  if (client === 'pg') {
    const store = await openStore(
      'cart',
      {
        DATA_DIR: '.',
        DATABASE_URL: url,
        DATABASE_SCHEMA: SCHEMA,
        DATABASE_POOL_SIZE: poolSize,
        DATABASE_POOL_WAIT: 30_000,
        DATABASE_STATEMENT_TIMEOUT: 30_000,
      },
      [...handleMigrations, ...cartMigrations],
    );
    if (store.dialect !== 'postgres') throw new Error('expected PostgreSQL');
    return store;
  }
  const sql = postgres(url, {
    max: poolSize,
    prepare: true,
    onnotice: () => undefined,
    connection: { search_path: SCHEMA },
    // BIGINT columns as numbers, as the kit's pg pool reads them.
    types: { int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
  });
  const on = (run: postgres.Sql | postgres.TransactionSql): Queryable => ({
    query: async <R>(statement: Statement, params: readonly unknown[] = []) =>
      (await run.unsafe(statement.text, params as postgres.ParameterOrJSON<never>[], {
        prepare: true,
      })) as unknown as R[],
  });
  const surface = {
    dialect: 'postgres' as const,
    target: url,
    ...on(sql),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => sql.begin((tx) => work(on(tx))) as Promise<T>,
    session: <T>(work: (db: Queryable) => Promise<T>) => work(on(sql)),
    exec: async (text: string) => void (await sql.unsafe(text)),
    close: () => sql.end(),
  };
  // The stores use only this surface; the class's private pool is the one thing it lacks.
  return surface as unknown as Postgres;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The installed version (both are hoisted to the root node_modules; postgres exports no package.json). */
function version(name: string): string {
  const file = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
