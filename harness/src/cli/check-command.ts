/**
 * `check URL [URL...]`: is a server (any MCP server, any instances of it) safe behind a load
 * balancer without affinity? The table on stdout, `--json` and `--markdown`; exit 0 when no check
 * failed, 1 when one did, 2 for bad input (a URL that is not one, a refused token, a bad flag).
 */
import { runCheck } from '../check/check.js';
import { readDeclaration } from '../check/declaration.js';
import { formatCheckMarkdown, formatCheckText } from '../check/format.js';
import { UsageError } from '../shared/errors.js';
import type { CliOptions } from './args.js';
import type { CommandIo } from './io.js';

export async function checkCommand(options: CliOptions, io: CommandIo): Promise<number> {
  const flags = options.check;
  if (options.positionals.length === 0) {
    throw new UsageError(
      'check needs the URL of at least one instance, e.g. check http://127.0.0.1:3101/mcp http://127.0.0.1:3201/mcp',
    );
  }
  const urls = options.positionals.map(url);
  if (new Set(urls).size !== urls.length) {
    throw new UsageError(
      'check was given the same URL twice: give each instance once (two instances need two different URLs)',
    );
  }
  if (flags.readOnly && flags.allowWrites)
    throw new UsageError('--read-only and --allow-writes contradict each other; pass one of them');
  if (flags.tokenB && !flags.token)
    throw new UsageError('--token-b needs --token: the second principal is compared with the first');
  if (flags.tokenB && flags.tokenB === flags.token)
    throw new UsageError('--token-b is the same token as --token; give a token for another user');
  const report = await runCheck({
    urls,
    token: flags.token,
    tokenB: flags.tokenB,
    headers: Object.fromEntries(flags.headers.map(header)),
    policy: flags.readOnly ? 'read-only' : flags.allowWrites ? 'allow-writes' : 'handle-probes',
    declaration: flags.handles ? { file: flags.handles, data: readDeclaration(flags.handles) } : undefined,
    timeoutMs: options.timeoutMs ?? 30_000,
    onProgress: options.quiet ? undefined : (line) => io.log(`check: ${line}`),
  });
  const toStdout = options.json === '-' || options.markdown === '-';
  const text = formatCheckText(report);
  if (toStdout) io.log(text);
  else io.print(text);
  if (options.json !== undefined) io.write(options.json, `${JSON.stringify(report, null, 2)}\n`, 'JSON');
  if (options.markdown !== undefined) io.write(options.markdown, formatCheckMarkdown(report), 'Markdown');
  return report.ok ? 0 : 1;
}

function url(text: string): string {
  try {
    const parsed = new URL(text);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return text;
  } catch {
    // reported below
  }
  throw new UsageError(`check expects instance URLs like http://127.0.0.1:3101/mcp, got "${text}"`);
}

function header(text: string): [string, string] {
  const match = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/.exec(text);
  if (!match) throw new UsageError(`--header expects "NAME: VALUE", like --header "X-Api-Key: abc", got "${text}"`);
  return [match[1]!, match[2]!];
}
