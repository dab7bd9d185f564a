/**
 * Where the servers of a scale run keep their state: `sqlite`, the embedded default, one file per
 * server that every instance on one host shares; or `postgres`, a networked database that
 * instances on any number of hosts share (DATABASE_URL), the way past one host.
 */
export const STORES = ['sqlite', 'postgres'] as const;
export type Store = (typeof STORES)[number];
