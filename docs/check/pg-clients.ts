/**
 * The PostgreSQL client comparison in docs/05, from the recorded bench/src/pg-clients.ts run:
 * `pg` and `postgres` driving the same cart and handle stores through the cart's keyed add.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface PgClientsReport {
  kind: 'pg-clients@1';
  versions: Record<'pg' | 'postgres', string>;
  durable: boolean | null;
  seconds: number;
  rounds: number;
  rows: Array<{ client: 'pg' | 'postgres'; connections: number; addsPerSecond: number; clientCpuMsPerAdd: number }>;
  ratios: Array<{ connections: number; cpuPgOverPostgres: number }>;
  command: string;
}

export function pgClientsTable(root: string, file: string): string {
  const report = JSON.parse(readFileSync(join(root, file), 'utf8')) as PgClientsReport;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  return [
    '| client | connections | cart adds/s | client CPU per add | pg ÷ postgres, CPU per add |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...report.rows.map((row) => {
      const ratio = report.ratios.find((r) => r.connections === row.connections)!.cpuPgOverPostgres;
      return `| \`${row.client}\` ${report.versions[row.client]} | ${row.connections} | ${fmt(row.addsPerSecond)} | ${row.clientCpuMsPerAdd.toFixed(3)} ms | ${row.client === 'pg' ? ratio.toFixed(2) : ''} |`;
    }),
    '',
    `Medians of ${report.rounds} interleaved ${report.seconds} s windows per row${report.durable === false ? ', on a throwaway PostgreSQL without fsync (so the client, not the disk, is what differs)' : ''}. Command: \`${report.command}\``,
  ].join('\n');
}
