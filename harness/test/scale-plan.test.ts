/**
 * The scale plan's rules, without starting anything: which K and routings each workload runs at,
 * the baselines at every K (and none with --skip-baselines), where the failover and database
 * restart runs go, which runs share a fleet, which store and how many simulated hosts each fleet
 * has, each store's ceiling, the servers each fleet starts, and the mistakes refused before
 * anything starts.
 */
import { describe, expect, it } from 'vitest';
import { planScale, type PlannedStep, type PlanRequest } from '../src/scale/plan.js';
import { serversCalled } from '../src/scale/runs.js';
import { scaleSpec } from '../src/scale/spec.js';
import { UsageError } from '../src/shared/errors.js';

const spec = scaleSpec.parse({
  workloads: [
    { name: 'cart', description: 'adds', agents: 32, mix: [{ tool: 'cart_add_item', weight: 9 }] },
    { name: 'team', description: 'all', agents: 8, mix: [{ tool: 'browser_snapshot', weight: 1 }] },
  ],
});
const plan = (request: Partial<PlanRequest> = {}) => planScale({ spec, file: 'scale.json', ...request });

/**
 * One short line per step, in order: "K=2 affinity team", "K=1 round-robin raw", "sqlite ceiling 1+2";
 * a PostgreSQL fleet adds "on postgres" and its hosts, a disruption when and what.
 */
function lines(steps: PlannedStep[]): string[] {
  return steps.map((step) => {
    if (step.kind === 'store-ceiling') return `${step.store} ceiling 1+${step.writers}`;
    const what = step.kind === 'workload' ? step.workload.name : step.target;
    const where =
      step.kind === 'workload' && (step.store !== 'sqlite' || step.hosts !== null)
        ? ` on ${step.store}${step.hosts === null ? '' : ` x${step.hosts}`}`
        : '';
    const kill = step.killAt !== undefined ? ` kill@${step.killAt}` : '';
    const restart = step.kind === 'workload' && step.restartAt !== undefined ? ` restart@${step.restartAt}` : '';
    return `K=${step.instances} ${step.routing} ${what}${where}${kill}${restart}`;
  });
}

const baselinesAt = (k: number) => [
  `K=${k} round-robin raw`,
  `K=${k} round-robin echo`,
  `K=${k} round-robin session-cart`,
  `K=${k} affinity session-cart`,
];

describe('scale plan', () => {
  it('runs every workload behind every routing at each K, then the baselines at that K, then the store ceiling', () => {
    const { steps, settings } = plan({ instances: [1, 3], routings: ['round-robin', 'affinity'] });
    expect(settings).toEqual({
      instances: [1, 3],
      routings: ['round-robin', 'affinity'],
      seconds: 5,
      warmupSeconds: 1.5,
      killOneAt: null,
      stores: ['sqlite'],
      hosts: null,
      restartDatabaseAt: null,
    });
    expect(lines(steps)).toEqual([
      'K=1 round-robin cart',
      'K=1 round-robin team',
      'K=1 affinity cart',
      'K=1 affinity team',
      ...baselinesAt(1),
      'K=3 round-robin cart',
      'K=3 round-robin team',
      'K=3 affinity cart',
      'K=3 affinity team',
      ...baselinesAt(3),
      'sqlite ceiling 1+2',
    ]);
  });

  it("takes K, routings and the window from the scenario's scale section when the command line does not", () => {
    const { settings, steps } = plan();
    expect(settings.instances).toEqual([1, 2]);
    expect(settings.routings).toEqual([
      'round-robin',
      'least-connections',
      'affinity',
      'nginx-round-robin',
      'nginx-least-connections',
      'nginx-affinity',
    ]);
    expect(steps.filter((s) => s.kind === 'workload')).toHaveLength(2 * 6 * 2);
  });

  it('runs the workloads of one K on one fleet, and every failover run on a fresh one', () => {
    const { steps } = plan({ instances: [1, 2], routings: ['round-robin', 'nginx-round-robin'], killOneAt: 2 });
    const fleets = steps.flatMap((s) => (s.kind === 'workload' ? [`${s.fleet}:K=${s.instances}`] : []));
    expect(fleets).toEqual(['0:K=1', '0:K=1', '0:K=1', '0:K=1', '1:K=2', '1:K=2', '1:K=2', '1:K=2', '2:K=2', '3:K=2']);
  });

  it('puts the failover runs at the largest K, last workload only, behind the no-affinity routings asked for', () => {
    const { steps } = plan({
      instances: [2, 1],
      routings: ['affinity', 'round-robin', 'nginx-round-robin'],
      killOneAt: 2.5,
    });
    const failover = lines(steps.filter((s) => s.kind !== 'store-ceiling' && s.killAt !== undefined));
    expect(failover).toEqual([
      'K=2 round-robin team kill@2.5',
      'K=2 nginx-round-robin team kill@2.5',
      'K=2 affinity session-cart kill@2.5',
    ]);
    // After every steady run and before the store ceiling.
    expect(lines(steps).slice(-4, -1)).toEqual(failover);
    // least-connections is without affinity too.
    const withLeast = plan({ instances: [2], routings: ['least-connections', 'affinity'], killOneAt: 1 });
    expect(lines(withLeast.steps.filter((s) => s.kind === 'workload' && s.killAt !== undefined))).toEqual([
      'K=2 least-connections team kill@1',
    ]);
  });

  it('puts the failover runs behind the routings asked for when none of them is without affinity', () => {
    const { steps } = plan({ instances: [2], routings: ['affinity', 'nginx-affinity'], killOneAt: 1 });
    const failover = lines(steps.filter((s) => s.kind === 'workload' && s.killAt !== undefined));
    expect(failover).toEqual(['K=2 affinity team kill@1', 'K=2 nginx-affinity team kill@1']);
  });

  it('expects the session cart to fail behind round-robin with K > 1 and after its instance died, nowhere else', () => {
    const { steps } = plan({ instances: [1, 2], routings: ['round-robin'], killOneAt: 1 });
    const sessions = steps.flatMap((s) =>
      s.kind === 'baseline' && s.target === 'session-cart'
        ? [`K=${s.instances} ${s.routing}${s.killAt !== undefined ? ' kill' : ''}: ${s.expectedToFail}`]
        : [],
    );
    expect(sessions).toEqual([
      'K=1 round-robin: false',
      'K=1 affinity: false',
      'K=2 round-robin: true',
      'K=2 affinity: false',
      'K=2 affinity kill: true',
    ]);
    expect(steps.some((s) => s.kind === 'baseline' && s.target !== 'session-cart' && s.expectedToFail)).toBe(false);
  });

  it('runs no baseline at all with --skip-baselines, failover included', () => {
    const { steps } = plan({ instances: [1, 2], routings: ['round-robin'], killOneAt: 1, baselines: false });
    expect(lines(steps)).toEqual([
      'K=1 round-robin cart',
      'K=1 round-robin team',
      'K=2 round-robin cart',
      'K=2 round-robin team',
      'K=2 round-robin team kill@1',
      'sqlite ceiling 1+2',
    ]);
  });

  it('runs only the workloads named with --workload, in the order named', () => {
    const { steps } = plan({
      instances: [1],
      routings: ['round-robin'],
      workloads: ['team', 'cart'],
      baselines: false,
    });
    expect(lines(steps)).toEqual(['K=1 round-robin team', 'K=1 round-robin cart', 'sqlite ceiling 1+2']);
    expect(() => plan({ workloads: ['carts'] })).toThrow(
      new UsageError('unknown workload "carts": expected one of cart, team'),
    );
  });

  it("gives every run the scenario's agents, or --agents for all of them", () => {
    const agents = (steps: PlannedStep[]) => steps.flatMap((s) => (s.kind === 'store-ceiling' ? [] : [s.agents]));
    expect(agents(plan({ instances: [1], routings: ['round-robin'] }).steps)).toEqual([32, 8, 32, 32, 8, 8]);
    expect(agents(plan({ instances: [1], routings: ['round-robin'], agents: 4 }).steps)).toEqual([4, 4, 4, 4, 4, 4]);
  });

  it('measures the store ceiling last for the seconds asked, or not at all', () => {
    expect(plan({ storeCeilingSeconds: 1 }).steps.at(-1)).toEqual({
      kind: 'store-ceiling',
      store: 'sqlite',
      seconds: 1,
      writers: 2,
    });
    expect(plan({ storeCeiling: false }).steps.some((s) => s.kind === 'store-ceiling')).toBe(false);
  });

  it('refuses a failover with fewer than 2 instances, and a tool the load generator cannot drive', () => {
    expect(() => plan({ instances: [1], killOneAt: 1 })).toThrow(/a failover run needs at least 2 instances/);
    const odd = scaleSpec.parse({
      workloads: [{ name: 'pay', description: 'x', agents: 1, mix: [{ tool: 'cart_checkout', weight: 1 }] }],
    });
    expect(() => planScale({ spec: odd, file: 'odd.json' })).toThrow(
      /the scale workload "pay" in odd.json names the tool cart_checkout, which the harness cannot drive/,
    );
  });

  it('runs the same grid on each store, one fleet per store and K, and measures the ceiling of each store', () => {
    const { steps, settings } = plan({
      instances: [1, 2],
      routings: ['least-connections'],
      stores: ['sqlite', 'postgres'],
    });
    expect(settings.stores).toEqual(['sqlite', 'postgres']);
    expect(lines(steps)).toEqual([
      'K=1 least-connections cart',
      'K=1 least-connections team',
      'K=1 least-connections cart on postgres',
      'K=1 least-connections team on postgres',
      ...baselinesAt(1),
      'K=2 least-connections cart',
      'K=2 least-connections team',
      'K=2 least-connections cart on postgres',
      'K=2 least-connections team on postgres',
      ...baselinesAt(2),
      'sqlite ceiling 1+2',
      'postgres ceiling 1+4',
    ]);
    const fleets = steps.flatMap((s) => (s.kind === 'workload' ? [`${s.fleet}:${s.store}`] : []));
    expect(fleets).toEqual([
      '0:sqlite',
      '0:sqlite',
      '1:postgres',
      '1:postgres',
      '2:sqlite',
      '2:sqlite',
      '3:postgres',
      '3:postgres',
    ]);
  });

  it('spreads PostgreSQL fleets over --hosts, keeps a SQLite fleet on one host, one instance per host by default', () => {
    const { steps, settings } = plan({
      routings: ['round-robin', 'nginx-affinity'],
      workloads: ['cart'],
      stores: ['sqlite', 'postgres'],
      hosts: 2,
      baselines: false,
    });
    expect(settings.instances).toEqual([2]);
    expect(lines(steps)).toEqual([
      'K=2 round-robin cart on sqlite x1',
      'K=2 nginx-affinity cart on sqlite x1',
      'K=2 round-robin cart on postgres x2',
      'K=2 nginx-affinity cart on postgres x2',
      'sqlite ceiling 1+2',
      'postgres ceiling 1+4',
    ]);
  });

  it('kills one host on PostgreSQL, then restarts the database behind the same routings, each on a fresh fleet', () => {
    const { steps } = plan({
      instances: [2, 4],
      routings: ['affinity', 'least-connections', 'nginx-round-robin'],
      stores: ['sqlite', 'postgres'],
      hosts: 2,
      killOneAt: 1.5,
      restartDatabaseAt: 2,
      baselines: false,
    });
    const disrupted = steps.filter((s) => s.kind === 'workload' && (s.killAt ?? s.restartAt) !== undefined);
    expect(lines(disrupted)).toEqual([
      'K=4 least-connections team on postgres x2 kill@1.5',
      'K=4 nginx-round-robin team on postgres x2 kill@1.5',
      'K=4 least-connections team on postgres x2 restart@2',
      'K=4 nginx-round-robin team on postgres x2 restart@2',
    ]);
    const fleets = disrupted.map((s) => (s.kind === 'workload' ? s.fleet : -1));
    expect(new Set(fleets).size).toBe(4);
    expect(Math.min(...fleets)).toBeGreaterThan(
      Math.max(...steps.flatMap((s) => (s.kind === 'workload' && !disrupted.includes(s) ? [s.fleet] : []))),
    );
  });

  it('restarts the database on one host too, and keeps failover on SQLite when PostgreSQL is not a store', () => {
    const restart = plan({
      instances: [1],
      routings: ['round-robin'],
      stores: ['postgres'],
      restartDatabaseAt: 1,
      baselines: false,
    });
    expect(lines(restart.steps)).toContain('K=1 round-robin team on postgres restart@1');
    const kill = plan({ instances: [2], routings: ['round-robin'], killOneAt: 1, baselines: false });
    expect(lines(kill.steps)).toContain('K=2 round-robin team kill@1');
  });

  it('refuses hosts without PostgreSQL, too few instances or hosts, a restart or hosts with a given database', () => {
    const refused = (request: Partial<PlanRequest>, message: RegExp) => expect(() => plan(request)).toThrow(message);
    refused({ hosts: 2 }, /--hosts spreads instances that share nothing but the database.*add --store postgres$/);
    refused(
      { hosts: 3, instances: [3, 2], stores: ['postgres'] },
      /--instances 2 leaves some of the 3 hosts without an instance/,
    );
    refused(
      { hosts: 1, stores: ['postgres'], killOneAt: 1, instances: [2] },
      /a failover run kills one host, so it needs --hosts 2/,
    );
    refused({ restartDatabaseAt: 1 }, /--restart-database-at restarts the PostgreSQL the run starts for itself/);
    refused({ restartDatabaseAt: 1, stores: ['postgres'], givenDatabase: true }, /without --database-url/);
    refused(
      { hosts: 2, stores: ['postgres'], givenDatabase: true },
      /--hosts starts its own PostgreSQL.*leave out --database-url$/,
    );
    refused({ givenDatabase: true }, /--database-url names a PostgreSQL to use, so it needs --store postgres$/);
    expect(() => plan({ hosts: 2, stores: ['postgres'], killOneAt: 1, restartDatabaseAt: 1 })).not.toThrow();
  });
});

describe('the servers a fleet starts', () => {
  const all = ['cart', 'workspace', 'browser'] as const;
  const workload = (...tools: string[]) => ({
    name: 'w',
    description: '',
    agents: 1,
    mix: tools.map((tool) => ({ tool, weight: 1 })),
  });

  it('are the ones its workloads call, by the server named in each tool id', () => {
    expect(serversCalled([workload('cart_add_item', 'cart_get')], all)).toEqual(['cart']);
    expect(serversCalled([workload('cart_add_item'), workload('browser_snapshot')], all)).toEqual(['cart', 'browser']);
    expect(serversCalled([workload('workspace_write_file', 'browser_navigate', 'cart_get')], all)).toEqual([...all]);
  });

  it('are all of them when a tool names no server, so the toolbook can say which tools there are', () => {
    expect(serversCalled([workload('cart_add_item', 'checkout_now')], all)).toEqual([...all]);
  });
});
