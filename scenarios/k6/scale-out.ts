/**
 * The `team` workload of scenarios/shopping-team.json across several instances of each server
 * (CART_URL, WORKSPACE_URL, BROWSER_URL: comma-separated lists, round-robin per request, so one
 * agent's consecutive calls on one handle land on different instances). Agents share one cart and
 * each lazily makes its own workspace fork and browser. The gate: no failed call, every acknowledged
 * unit in the cart, and every read of an agent's own note returns its last write.
 */
import { check } from 'k6';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { addUnit, checkSharedCart, openSharedCart, type SharedCart } from './lib/cart.ts';
import { loadShape, markPhase } from './lib/load.ts';
import { callTool, mcpTarget, mustCall, requireReachable, stop } from './lib/mcp.ts';
import { pickTool, workload } from './lib/scenario.ts';

const CART = mcpTarget('cart', 'CART_URL', __ENV.CART_URL ?? 'http://127.0.0.1:3101/mcp');
const WORKSPACE = mcpTarget('workspace', 'WORKSPACE_URL', __ENV.WORKSPACE_URL ?? 'http://127.0.0.1:3102/mcp');
const BROWSER = mcpTarget('browser', 'BROWSER_URL', __ENV.BROWSER_URL ?? 'http://127.0.0.1:3103/mcp');
const SITE_ORIGIN = (__ENV.SITE_ORIGIN ?? 'http://127.0.0.1:4173').replace(/\/+$/, '');
const WORKLOAD = workload('team', [
  'cart_add_item',
  'cart_get',
  'workspace_write_file',
  'workspace_read_file',
  'browser_navigate',
  'browser_snapshot',
]);

export const options: Options = {
  scenarios: loadShape(WORKLOAD),
  thresholds: {
    cart_errors: ['rate==0'],
    workspace_errors: ['rate==0'],
    browser_errors: ['rate==0'],
    cart_units_unaccounted: ['count==0'],
    checks: ['rate==1'],
    // Loopback p99s measured in reports/bench-*.json: ~130 ms for cart adds, ~40 ms for workspace
    // writes at 16-50 connections. 1 s leaves room for a slow runner and catches stalls.
    'cart_call_duration{phase:measure}': ['p(99)<1000'],
    'workspace_call_duration{phase:measure}': ['p(99)<1000'],
    // Without affinity a browser call usually lands on an instance that must rehydrate the page
    // first (~450-650 ms in reports/bench-browser.json), and Chromium is shared by the agents.
    'browser_call_duration{phase:measure}': ['p(99)<5000'],
  },
};

interface Team extends SharedCart {
  baseWorkspaceId: string;
  /** ISO time before any agent's browser existed: teardown closes this principal's browsers since. */
  startedAt: string;
}

export function setup(): Team {
  requireReachable(CART, 'cart_list');
  requireReachable(WORKSPACE, 'workspace_list');
  requireReachable(BROWSER, 'browser_list');
  const startedAt = new Date().toISOString();
  requireStorefront();
  const cart = openSharedCart(CART);
  const base = mustCall<{ workspace_id: string }>(WORKSPACE, 'workspace_create', {
    name: cart.run,
    files: [{ path: 'README.md', content: `# ${cart.run}\n\nEach agent writes notes/ in its own fork.\n` }],
  });
  return { ...cart, baseWorkspaceId: base.workspace_id, startedAt };
}

export default function (team: Team): void {
  markPhase();
  const tool = pickTool(WORKLOAD.mix);
  if (tool === 'cart_add_item') addUnit(CART, team);
  else if (tool === 'cart_get') callTool(CART, 'cart_get', { cart_id: team.cartId });
  else if (tool === 'workspace_write_file') writeNote(team);
  else if (tool === 'workspace_read_file') readNote(team);
  else if (tool === 'browser_navigate') navigate(team);
  else snapshot();
}

export function teardown(team: Team): void {
  checkSharedCart(CART, team);
  const listed = callTool<{ workspaces: { workspace_id: string; name: string | null }[] }>(
    WORKSPACE,
    'workspace_list',
    {},
  );
  for (const workspace of listed.data?.workspaces ?? [])
    if (workspace.name?.startsWith(team.run))
      callTool(WORKSPACE, 'workspace_destroy', { workspace_id: workspace.workspace_id });
  // Browsers carry no label: close the ones this principal opened since setup. Give the run a
  // token of its own if other clients use the same principal at the same time.
  const live = callTool<{ browsers: { browser_id: string; created_at: string }[] }>(BROWSER, 'browser_list', {});
  for (const browser of live.data?.browsers ?? [])
    if (browser.created_at >= team.startedAt) callTool(BROWSER, 'browser_destroy', { browser_id: browser.browser_id });
}

/** Every browser instance can open the storefront (this also launches its Chromium before the clock runs). */
function requireStorefront(): void {
  for (const url of BROWSER.urls) {
    const opened = callTool<{ browser_id: string }>(BROWSER, 'browser_create', { start_url: `${SITE_ORIGIN}/` }, url);
    if (!opened.data)
      stop(
        `the browser server at ${url} cannot open ${SITE_ORIGIN}/ (${opened.code}: ${opened.message}): start the ` +
          "storefront and put SITE_ORIGIN on the browser server's allow-list (BROWSER_ALLOWED_ORIGINS)",
      );
    callTool(BROWSER, 'browser_destroy', { browser_id: opened.data.browser_id }, url);
  }
}

/** This agent's own handles. Module state is per VU in k6, so nothing here is shared. */
const mine: { workspaceId?: string; browserId?: string; writes: number; etags: Record<string, string> } = {
  writes: 0,
  etags: {},
};

/** Made on first use; a failed create is counted and tried again next time. */
function myWorkspace(team: Team): string | undefined {
  if (!mine.workspaceId)
    mine.workspaceId = callTool<{ workspace_id: string }>(WORKSPACE, 'workspace_fork', {
      workspace_id: team.baseWorkspaceId,
      name: `${team.run}-vu${exec.vu.idInTest}`,
    }).data?.workspace_id;
  return mine.workspaceId;
}

function myBrowser(): string | undefined {
  if (!mine.browserId)
    mine.browserId = callTool<{ browser_id: string }>(BROWSER, 'browser_create', {
      start_url: `${SITE_ORIGIN}/`,
    }).data?.browser_id;
  return mine.browserId;
}

function writeNote(team: Team): void {
  const workspaceId = myWorkspace(team);
  if (!workspaceId) return;
  const n = mine.writes++;
  const path = `notes/vu${exec.vu.idInTest}-${n % 4}.md`;
  const content = `# Agent ${exec.vu.idInTest}\n\nNote ${n} of run ${team.run}.\n`;
  const written = callTool<{ etag: string }>(WORKSPACE, 'workspace_write_file', {
    workspace_id: workspaceId,
    path,
    content,
  });
  if (written.data) mine.etags[path] = written.data.etag;
}

function readNote(team: Team): void {
  const workspaceId = myWorkspace(team);
  if (!workspaceId) return;
  const paths = Object.keys(mine.etags);
  const path = paths[Math.floor(Math.random() * paths.length)] ?? 'README.md';
  const read = callTool<{ etag: string }>(WORKSPACE, 'workspace_read_file', { workspace_id: workspaceId, path });
  const expected = mine.etags[path];
  if (read.data && expected)
    check(read.data, { "workspace_read_file returns the agent's last write": (file) => file.etag === expected });
}

function navigate(team: Team): void {
  const browserId = myBrowser();
  if (!browserId) return;
  const sku = team.skus[Math.floor(Math.random() * team.skus.length)];
  callTool(BROWSER, 'browser_navigate', { browser_id: browserId, url: `${SITE_ORIGIN}/product/${sku}` });
}

function snapshot(): void {
  const browserId = myBrowser();
  if (browserId) callTool(BROWSER, 'browser_snapshot', { browser_id: browserId });
}
