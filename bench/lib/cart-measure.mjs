/**
 * One measured (or warm-up) run of the cart benchmark against one target: the load, every
 * response body classified, CPU and memory accounted, the workload's server-side checks; and the
 * checks that decide whether a run's numbers stand.
 */
import { CLOCK_TICKS, memoryMb } from './cpu.mjs';
import { runLoad } from './load.mjs';
import { mapValues, round1, round3 } from './stats.mjs';

/** One autocannon run against one target; every response body is classified. */
export async function measure(target, ctx, seconds, phase, round) {
  const run = await target.workload.begin(seconds);
  const outcome = { ok: 0, isError: 0, rpcError: 0, non2xx: 0, okSample: null, errorSample: null };
  const request = {
    setupRequest(req) {
      const { headers, body } = run.next();
      req.headers = headers;
      req.body = body;
      return req;
    },
    onResponse(status, body) {
      if (status !== 200) outcome.non2xx++;
      else if (body.includes('"isError":true')) outcome.isError++;
      else if (!body.includes('"result"')) outcome.rpcError++;
      else {
        outcome.ok++;
        outcome.okSample ??= body;
        return;
      }
      outcome.errorSample ??= `HTTP ${status}: ${body.slice(0, 400)}`;
    },
  };

  const { result, latencies, wallSeconds, cpu } = await runLoad({
    url: target.url,
    connections: ctx.options.connections,
    seconds,
    request,
    serverPid: target.pid,
  });
  const rssMb = memoryMb(target.pid, 'VmRSS');
  const verification = await run.finish();

  const responses = outcome.ok + outcome.isError + outcome.rpcError + outcome.non2xx;
  return {
    target: target.name,
    phase,
    round,
    seconds: round3(result.duration ?? wallSeconds),
    responses,
    ok: outcome.ok,
    // autocannon's `errors` are connection errors and timeouts (timeouts are counted in both).
    errors: {
      non2xx: outcome.non2xx,
      isError: outcome.isError,
      jsonRpcError: outcome.rpcError,
      connection: (result.errors ?? 0) - (result.timeouts ?? 0),
      timeouts: result.timeouts ?? 0,
    },
    errorCount: responses - outcome.ok + (result.errors ?? 0),
    rps: round1(outcome.ok / (result.duration ?? wallSeconds)),
    latencyMs: mapValues(latencies.summary(), round3),
    cpuPercentOfCore: {
      server: round1(cpu.serverPct),
      loadGenerator: round1(cpu.loadPct),
      other: round1(cpu.boxPct - cpu.serverPct - cpu.loadPct),
      box: round1(cpu.boxPct),
      steal: round1(cpu.stealPct),
    },
    serverRssMb: rssMb,
    serverCpuUsPerRequest: responses ? round1(((cpu.serverJiffies / CLOCK_TICKS) * 1e6) / responses) : null,
    sampleResponse: (outcome.okSample ?? '').slice(0, 600),
    firstError: outcome.errorSample,
    server: verification,
  };
}

export function checkRun(row, ctx) {
  const problems = [];
  if (row.errorCount > 0)
    problems.push(`${row.errorCount} failed requests (first: ${row.firstError ?? 'connection error/timeout'})`);
  if (row.ok === 0) problems.push('no successful response');
  const server = row.server;
  if (server) {
    if (server.capacityExhausted) problems.push('ran out of cart capacity; raise BENCH_CART_RATE_BOUND');
    if (server.serverToolErrors > 0)
      problems.push(`server counted ${server.serverToolErrors} cart_add_item tool errors`);
    // In-flight requests when the load stops complete on the server after the client stopped counting.
    if (server.serverOk < row.ok || server.serverOk > row.ok + ctx.options.connections) {
      problems.push(`server counted ${server.serverOk} successful adds, client ${row.ok}`);
    }
    if (server.unitsInCarts !== server.serverOk) {
      problems.push(`carts hold ${server.unitsInCarts} units but the server acknowledged ${server.serverOk} adds`);
    }
  }
  return problems;
}
