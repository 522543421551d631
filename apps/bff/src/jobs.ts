import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import { JobRunner, type Job } from './infra/jobs';
import type { Services } from './services';

/** Job names, for tests and logs. */
export const JOBS = {
  deadlines: 'deadline-sweeper',
  housekeeping: 'housekeeping',
  recurrence: 'recurrence',
  relay: 'outbox-relay',
  planning: 'notification-planner',
  sending: 'notification-sender',
  retention: 'retention',
} as const;

/**
 * Every background pass of an instance, in the order they start and are stopped: deadlines first
 * (offers time out on them), the relay before the notification planner that follows it.
 */
export function backgroundJobs(config: Config, s: Services, log: FastifyBaseLogger): JobRunner {
  const sweepMs = config.dispatch.sweepIntervalMs;
  const jobs: Job[] = [
    { name: JOBS.deadlines, intervalMs: sweepMs, run: () => s.sweeper.runOnce(), stop: () => s.sweeper.stop() },
    {
      // Small upkeep on the sweeper's beat: stale helper positions, expired number bindings, status counts.
      name: JOBS.housekeeping,
      intervalMs: sweepMs,
      run: async () => {
        await s.helpers.refreshStalePositions();
        await s.calls.releaseBindings();
        await s.statusCounts.compact();
      },
    },
    {
      // Recurring tasks (care visits, repeated errands) and the visits that were missed.
      name: JOBS.recurrence,
      intervalMs: sweepMs,
      run: async () => {
        await s.recurrence.runDue();
        await s.care.markMissed();
      },
    },
    {
      name: JOBS.relay,
      intervalMs: config.live.relayIntervalMs,
      runAtStart: true, // events a previous instance committed but never relayed
      run: () => s.relay.runScheduled(),
      stop: () => s.relay.stop(),
    },
    {
      name: JOBS.planning,
      intervalMs: config.live.relayIntervalMs,
      runAtStart: true, // events numbered while no planner ran, or while planning failed
      run: () => s.notificationPlanning.runOnce(),
      stop: () => s.notificationPlanning.stop(),
    },
    {
      name: JOBS.sending,
      intervalMs: config.notifications.sendIntervalMs,
      run: () => s.notifications.runOnce(),
      stop: () => s.notifications.stop(),
    },
    { name: JOBS.retention, intervalMs: config.retention.intervalMinutes * 60_000, run: () => s.retention.runOnce() },
  ];
  return new JobRunner(jobs, log);
}
