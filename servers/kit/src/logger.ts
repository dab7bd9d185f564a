/**
 * The one logger: pino writing JSON lines to stderr (fd 2).
 * stdout carries the protocol when a server runs over stdio, so nothing else may write there.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export function createLogger(name: string, level: LevelWithSilent = 'info'): Logger {
  return pino({ name, level, base: { name, pid: process.pid } }, pino.destination({ fd: 2, sync: false }));
}
