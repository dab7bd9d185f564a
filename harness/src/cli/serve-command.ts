/**
 * `serve`: every server and the storefront on fixed ports until Ctrl-C, with the banner (URLs, a
 * dev token, an Inspector command). A server that dies stops the others and becomes the error.
 */
import { serve } from '../fleet/serve.js';
import { UsageError } from '../shared/errors.js';
import type { CliOptions } from './args.js';
import type { CommandIo } from './io.js';

export async function serveCommand(options: CliOptions, io: CommandIo): Promise<number> {
  let reportDeath: (problem: string) => void = () => {};
  const died = new Promise<string>((resolve) => (reportDeath = resolve));
  const { fleet, banner } = await serve({
    ports: options.ports,
    anonymous: options.anonymous,
    jwtSecret: options.jwtSecret,
    subject: options.subject,
    dataDir: options.dataDir,
    log: options.quiet ? () => {} : io.log,
    onProblem: (problem) => reportDeath(problem),
    registerStop: io.registerStop,
  });
  io.print(`\n${banner}`);
  // Stay up until Ctrl-C, or until a server dies (then stop the others and say why).
  const stopped = new Promise<undefined>((resolve) => io.onSignal(() => resolve(undefined)));
  const problem = await Promise.race([stopped, died]);
  await fleet.stop();
  if (problem) throw new UsageError(problem);
  io.log('stopped');
  return 0;
}
