/**
 * `serve`: every server and the storefront on fixed loopback ports, for manual use with the MCP
 * Inspector or any client, until Ctrl-C. Bearer auth is on with a printed dev token (the same
 * check real deployments run), unless `--anonymous`.
 */
import { randomBytes } from 'node:crypto';
import { defaultAudience, signDevToken } from '@sessionless/kit';
import { startFleet, type Fleet } from './fleet.js';
import { DEFAULT_PORTS, SERVER_NAMES, type PortName } from './servers.js';

export interface ServeOptions {
  ports: Partial<Record<PortName, number>>;
  anonymous: boolean;
  jwtSecret?: string;
  subject: string;
  dataDir?: string;
  log: (line: string) => void;
  onProblem: (problem: string) => void;
  registerStop: (stop: () => Promise<void>) => void;
}

export async function serve(options: ServeOptions): Promise<{ fleet: Fleet; banner: string }> {
  const secret = options.anonymous ? undefined : (options.jwtSecret ?? randomBytes(32).toString('base64url'));
  const fleet = await startFleet({
    servers: SERVER_NAMES,
    auth: secret ? { mode: 'jwt', secret } : { mode: 'anonymous' },
    ports: { ...DEFAULT_PORTS, ...options.ports },
    dataDir: options.dataDir,
    log: options.log,
    onProblem: options.onProblem,
    register: options.registerStop,
  });
  const token = secret
    ? await signDevToken(secret, options.subject, { expiresIn: '12h', audience: SERVER_NAMES.map(defaultAudience) })
    : undefined;
  const url = (name: string) => fleet.endpoints.find((e) => e.name === name)!.url;
  const header = token ? ` --header "Authorization: Bearer ${token}"` : '';
  const lines = [
    'Sessionless MCP servers on loopback (Ctrl-C stops them all):',
    ...fleet.endpoints.map((e) => `  ${e.name.padEnd(10)} ${e.url}    metrics ${e.origin}/metrics`),
    `  storefront ${fleet.siteOrigin}    (the only site the browser server may open)`,
    `  data       ${fleet.dataDir}`,
    '',
    token
      ? `Bearer token for user "${options.subject}" (12 h; JWT secret ${secret}):\n  ${token}`
      : 'Auth: anonymous (anyone on this machine is the same user).',
    '',
    'MCP Inspector (Streamable HTTP; add the token as "Authorization: Bearer ..." under Authentication):',
    `  npx @modelcontextprotocol/inspector --cli ${url('cart')} --method tools/list${header}`,
    '',
    'Run the shopping team against these servers:',
    `  npx sessionless-harness run shopping-team ${fleet.endpoints.map((e) => `--url ${e.name}=${e.url}`).join(' ')} ` +
      `--site ${fleet.siteOrigin}${secret ? ` --jwt-secret ${secret}` : ' --anonymous'}`,
  ];
  return { fleet, banner: lines.join('\n') };
}
