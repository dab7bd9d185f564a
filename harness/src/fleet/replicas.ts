/**
 * K processes of one baseline (the raw ceiling, the stock echo, the session-scoped cart), each on
 * a free loopback port, started together and stopped together; `kill(i)` takes one down as a
 * crashed host would go.
 */
import type { Replica } from '../scale/engine/router.js';
import { startProcess } from './process.js';

export async function startReplicas(
  name: string,
  entry: string,
  K: number,
  log: (line: string) => void,
  register?: (stop: () => Promise<void>) => void,
) {
  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => void (await Promise.all(stoppers.map((s) => s())));
  register?.(stop);
  try {
    const started = await Promise.all(
      Array.from({ length: K }, (_, instance) =>
        startProcess({
          label: `the ${name} baseline #${instance}`,
          entry,
          port: 0,
          env: { HOST: '127.0.0.1' },
          timeoutMs: 30_000,
          log,
          track: (s) => stoppers.push(s),
          onUnexpectedExit: (problem) => log(problem),
        }),
      ),
    );
    return {
      endpoints: started.map((p, instance): Replica => ({ url: p.url, origin: p.origin, pid: p.pid, instance })),
      pids: () => started.map((p) => p.pid),
      kill: async (i: number) => (await started[i]!.kill(), [started[i]!.pid]),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
