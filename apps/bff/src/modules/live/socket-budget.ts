import { readFileSync } from 'node:fs';

/**
 * Sockets this instance may hold: the configured number, but never so close to the process's
 * open-file limit (Linux: /proc/self/limits; Node 20 has no getrlimit) that the database pool,
 * Redis, logs and plain HTTP requests (/healthz) run out of descriptors. A quarter of the limit,
 * at least 256, stays free.
 */
export function socketBudget(configured: number, openFileLimit: number | null = readOpenFileLimit()): number {
  if (openFileLimit === null) return configured;
  const headroom = Math.max(256, Math.ceil(openFileLimit / 4));
  return Math.max(1, Math.min(configured, openFileLimit - headroom));
}

function readOpenFileLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line ? Number(line.split(/\s{2,}/)[1]) : NaN;
    return Number.isFinite(soft) ? soft : null;
  } catch {
    return null;
  }
}
