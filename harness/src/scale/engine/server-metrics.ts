/**
 * What the load generator reads from a server instance's /metrics (the kit's Prometheus text)
 * besides the traffic the re-fetch engine counts: browser contexts by how they were found, and
 * tool calls by outcome (the micro-benchmark's server-side check of the cart's adds).
 */

export async function readBrowserPaths(origin: string): Promise<{ warm: number; rehydrated: number }> {
  const text = await readMetrics(origin);
  const value = (path: string) =>
    Number(
      new RegExp(`^mcp_browser_contexts_total\\{[^}]*path="${path}"[^}]*\\}\\s+(\\S+)$`, 'm').exec(text)?.[1] ?? 0,
    );
  return { warm: value('warm'), rehydrated: value('rehydrated') };
}

/** `mcp_tool_calls_total` of one tool, by outcome (`ok`, `tool_error`, `exception`). */
export async function readToolCalls(origin: string, tool: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const line of (await readMetrics(origin)).split('\n')) {
    if (!line.startsWith('mcp_tool_calls_total{') || !line.includes(`tool="${tool}"`)) continue;
    const outcome = /outcome="([^"]+)"/.exec(line)?.[1];
    if (outcome) counts[outcome] = (counts[outcome] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return counts;
}

async function readMetrics(origin: string): Promise<string> {
  const response = await fetch(`${origin}/metrics`);
  if (!response.ok) throw new Error(`cannot read ${origin}/metrics: HTTP ${response.status}`);
  return response.text();
}
