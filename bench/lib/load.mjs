/**
 * The load runner: one closed-loop autocannon run against one server, in this process, with
 * every response time recorded exactly and the CPU the run cost - the server's (by pid), this
 * load generator's and the whole box's - in % of one core over the run's wall time.
 */
import autocannon from 'autocannon';
import { boxCpu, processCpu } from './cpu.mjs';
import { Latencies } from './stats.mjs';

/** `request` is autocannon's request object (setupRequest/onResponse): the caller builds and classifies. */
export async function runLoad({ url, connections, seconds, request, serverPid }) {
  const latencies = new Latencies();
  const box0 = boxCpu();
  const server0 = processCpu(serverPid);
  const load0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const result = await new Promise((done, reject) => {
    const instance = autocannon(
      { url, method: 'POST', connections, duration: seconds, timeout: 10, requests: [request] },
      (error, value) => (error ? reject(error) : done(value)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.record(responseTime));
  });
  const wallSeconds = Number(process.hrtime.bigint() - wall0) / 1e9;
  const load = process.cpuUsage(load0);
  const server1 = processCpu(serverPid);
  const box1 = boxCpu();

  const wallJiffies = Math.max(1, (box1.total - box0.total) / box1.cpus);
  const serverJiffies = server1 - server0;
  return {
    result,
    latencies,
    wallSeconds,
    cpu: {
      serverJiffies,
      serverPct: (100 * serverJiffies) / wallJiffies,
      loadPct: (100 * (load.user + load.system)) / 1e6 / wallSeconds,
      boxPct: (100 * (box1.busy - box0.busy)) / wallJiffies,
      stealPct: (100 * (box1.steal - box0.steal)) / wallJiffies,
    },
  };
}
