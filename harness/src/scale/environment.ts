/**
 * What a scale run's fleets stand on, set up once before the first run and torn down after the
 * last (also on Ctrl-C and failure): with --hosts, the simulated hosts' network; with --store
 * postgres, the database (the run's own, in its own namespace with --hosts, or --database-url).
 * It tells each fleet where its instances go and what they connect to.
 */
import type { Database } from '../fleet/database.js';
import { givenDatabase, startDatabase } from '../fleet/database.js';
import type { FleetOptions } from '../fleet/fleet.js';
import { placeOn, startHosts, wrapFor, type Hosts, type Topology } from '../fleet/hosts.js';
import type { NginxPlace } from './engine/nginx.js';
import type { ScaleSettings } from './plan.js';
import type { Store } from './stores.js';

export type Placement = Pick<FleetOptions, 'place' | 'separateDataDirs' | 'siteHost' | 'env'>;

export interface RunEnvironment {
  database: Database | null;
  topology: Topology | null;
  /** Where a fleet on `store` spanning `hosts` simulated hosts (null: loopback) puts its instances. */
  placement(store: Store, hosts: number | null): Placement;
  /** Where nginx runs: the run's load-balancer namespace with --hosts, else loopback. */
  balancerPlace(): NginxPlace | undefined;
  stop(): void;
}

export async function openEnvironment(
  settings: Pick<ScaleSettings, 'stores' | 'hosts'>,
  databaseUrl: string | undefined,
  log: (line: string) => void,
  registerStop?: (stop: () => Promise<void>) => void,
): Promise<RunEnvironment> {
  let hosts: Hosts | null = null;
  let database: Database | null = null;
  let stopped = false;
  // The database first (it lives in the network), then the network and whatever is left in it.
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      database?.stop();
    } finally {
      hosts?.stop();
    }
  };
  registerStop?.(async () => stop());
  try {
    if (settings.hosts !== null) hosts = startHosts(settings.hosts, log);
    if (settings.stores.includes('postgres')) {
      const plan = hosts?.plan;
      database = databaseUrl
        ? givenDatabase(databaseUrl)
        : await startDatabase(
            log,
            plan && { host: plan.database.address, wrap: wrapFor(plan.database), subnet: plan.subnet },
          );
    }
  } catch (error) {
    stop();
    throw error;
  }
  const plan = hosts?.plan;
  return {
    database,
    topology: hosts?.topology ?? null,
    placement(store, count) {
      const env = store === 'postgres' ? { DATABASE_URL: database!.url } : { DATABASE_URL: undefined };
      const separateDataDirs = store === 'postgres';
      if (!plan || count === null) return { env, separateDataDirs };
      const on = plan.hosts.slice(0, count);
      return { env, separateDataDirs, siteHost: plan.client, place: (instance) => placeOn(on, instance) };
    },
    balancerPlace: () => (plan ? { host: plan.balancer.address, wrap: wrapFor(plan.balancer) } : undefined),
    stop,
  };
}
