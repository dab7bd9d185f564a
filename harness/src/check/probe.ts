/**
 * What each instance speaks, learned the way clients learn it: a 2026-07-28 `server/discover`, then
 * a 2025-11-25 `initialize`. An instance that answers neither, or refuses the credentials, is bad
 * input: one sentence naming the instance, what it answered and the flag to pass.
 */
import { UsageError } from '../shared/errors.js';
import type { CheckClient } from './client.js';
import type { InstanceReport } from './report.js';
import { failureOf, MODERN, type Answer, type Principal } from './wire.js';

export interface Probe {
  instance: number;
  discover: Record<string, unknown> | null;
  /** Why `server/discover` gave no 2026-07-28 result. */
  discoverFailure: string | null;
  initialize: Record<string, unknown> | null;
  initializeFailure: string | null;
  sessionId: string | null;
}

export async function probeInstances(client: CheckClient, principal: Principal, tokenFlag: string): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (let instance = 0; instance < client.wire.instances; instance++) {
    const discover = await client.wire.modern(instance, 'server/discover', {}, { principal });
    refuseAuth(discover, instance, client.wire.url(instance), tokenFlag);
    const { answer: init, sessionId } = await client.initialize(instance, principal);
    refuseAuth(init, instance, client.wire.url(instance), tokenFlag);
    const versions = discover.message?.result?.supportedVersions;
    const modern = Array.isArray(versions) && versions.includes(MODERN);
    const probe: Probe = {
      instance,
      discover: modern ? discover.message!.result! : null,
      discoverFailure: modern
        ? null
        : discover.message?.result
          ? `it supports ${JSON.stringify(versions)}`
          : failureOf(discover),
      initialize: init.message?.result ?? null,
      initializeFailure: init.message?.result ? null : failureOf(init),
      sessionId,
    };
    if (!probe.discover && !probe.initialize) {
      throw new UsageError(
        `instance ${instance + 1} (${client.wire.url(instance)}) does not answer as an MCP server: server/discover got ` +
          `${probe.discoverFailure} and initialize got ${probe.initializeFailure}; check the URL (the MCP endpoint, often /mcp)`,
      );
    }
    probes.push(probe);
  }
  return probes;
}

function refuseAuth(answer: Answer, instance: number, url: string, tokenFlag: string): void {
  if (answer.status !== 401 && answer.status !== 403) return;
  throw new UsageError(
    `instance ${instance + 1} (${url}) refused the request with HTTP ${answer.status}` +
      `${tokenFlag === '--token' ? '' : ' for the second principal'}: pass a valid bearer token with ${tokenFlag} TOKEN` +
      ' (or the header it needs with --header "NAME: VALUE")',
  );
}

export function instanceReport(url: string, probe: Probe): InstanceReport {
  const info =
    (probe.discover?._meta as Record<string, unknown> | undefined)?.['io.modelcontextprotocol/serverInfo'] ??
    probe.initialize?.serverInfo;
  const server = info && typeof info === 'object' ? (info as { name?: string; version?: string }) : null;
  return {
    url,
    server: server?.name ? `${server.name}${server.version ? ` ${server.version}` : ''}` : null,
    modern: probe.discover !== null,
    legacy: probe.initialize !== null,
  };
}

/** The capabilities the server declares: in the discover result, else in the initialize result. */
export function capabilitiesOf(probe: Probe): Record<string, unknown> {
  const caps = (probe.discover ?? probe.initialize)?.capabilities;
  return caps && typeof caps === 'object' ? (caps as Record<string, unknown>) : {};
}
