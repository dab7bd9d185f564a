/**
 * How a request finds an instance: the three load-balancing strategies stateless MCP allows -
 * round-robin, least connections and handle affinity - decided by the load generator per request
 * (as a gateway would), or by a real nginx (`nginx-*`). Affinity hashes the handle header
 * (`Mcp-Param-Cart-Id`, ...) or, for the session-scoped baseline, `Mcp-Session-Id`.
 */
export const ROUTINGS = [
  'round-robin',
  'least-connections',
  'affinity',
  'nginx-round-robin',
  'nginx-least-connections',
  'nginx-affinity',
] as const;
export type Routing = (typeof ROUTINGS)[number];

/** Routings that pin nothing: any call may go to any instance (where failover runs are planned). */
export const WITHOUT_AFFINITY: readonly Routing[] = [
  'round-robin',
  'least-connections',
  'nginx-round-robin',
  'nginx-least-connections',
];
