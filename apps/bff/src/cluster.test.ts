import { planProcesses } from './cluster';
import { loadConfig } from './config';

const mysql = { DATABASE_URL: 'mysql://root@db:3306/linli', REDIS_URL: 'redis://cache:6379' };

describe('how many BFF processes start', () => {
  it('runs one process per core on MySQL by default', () => {
    expect(loadConfig(mysql).cluster.workers).toBe(0);
    expect(planProcesses(loadConfig(mysql), 8)).toEqual({ workers: 8, reason: '8 worker processes (one per core, 8 cores)' });
  });

  it('takes an explicit count from CLUSTER_WORKERS, and one is a single process', () => {
    expect(planProcesses(loadConfig({ ...mysql, CLUSTER_WORKERS: '3' }), 8).workers).toBe(3);
    expect(planProcesses(loadConfig({ ...mysql, CLUSTER_WORKERS: '1' }), 8)).toEqual({
      workers: 1,
      reason: 'one process (cluster.workers)',
    });
    expect(() => loadConfig({ ...mysql, CLUSTER_WORKERS: '-1' })).toThrow(/cluster\.workers \(from CLUSTER_WORKERS\)/);
  });

  it('keeps the embedded SQLite mode in one process, whatever is configured, and says why', () => {
    const plan = planProcesses(loadConfig({ CLUSTER_WORKERS: '4' }), 8);
    expect(plan.workers).toBe(1);
    expect(plan.reason).toMatch(/embedded SQLite: one process/);
  });

  it('warns what several workers without Redis cannot share', () => {
    const plan = planProcesses(loadConfig({ DATABASE_URL: mysql.DATABASE_URL }), 2);
    expect(plan.workers).toBe(2);
    expect(plan.reason).toMatch(/without Redis, live events reach sockets on other workers only through the database tail check/);
  });
});
