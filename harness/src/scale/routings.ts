/**
 * How a request finds an instance. `round-robin` and `affinity` are decided by the load
 * generator per request (as a gateway would); the `nginx-*` ones go through a real nginx.
 * Affinity hashes the handle header (`Mcp-Param-Cart-Id`, ...) or, for the session-scoped
 * baseline, `Mcp-Session-Id`.
 */
export const ROUTINGS = ['round-robin', 'affinity', 'nginx-round-robin', 'nginx-affinity'] as const;
export type Routing = (typeof ROUTINGS)[number];
