// Which module owns each table (issue 13.1). Only the owner's files contain SQL text naming its
// table; every other module reads and writes through the owner's exported functions, passing its
// `tx: Sql` when it must stay inside one transaction. test/table-ownership.test.ts holds every
// non-test .ts file under src/ to this map.
//
// A "module" is the first two segments of a path under src/ (`modules/errands`, `infra/wechat`),
// or the file itself for files outside a folder of their own (`app.ts`, `infra/redis.ts`).

/** The owning module of every table of the schema (stats_* roll-ups are listed one by one). */
export const TABLE_OWNERS: Readonly<Record<string, string>> = {
  users: 'modules/auth',
  sessions: 'modules/auth',
  districts: 'modules/oversight',
  streets: 'modules/oversight',
  communities: 'modules/community',
  compounds: 'modules/community',
  buildings: 'modules/community',
  households: 'modules/community',
  household_change_requests: 'modules/community',
  helpers: 'modules/helpers',
  helper_zones: 'modules/helpers',
  errands: 'modules/errands',
  errand_events: 'modules/errands',
  errand_status_counts: 'modules/errands',
  idempotency_keys: 'modules/errands',
  privacy_bindings: 'modules/errands',
  offers: 'modules/dispatch',
  deadlines: 'modules/dispatch',
  outbox_events: 'modules/live',
  event_sequence: 'modules/live',
  notifications: 'modules/notifications',
  notification_cursor: 'modules/notifications',
  stats_category_daily: 'modules/stats',
  stats_compound_daily: 'modules/stats',
  stats_latency_daily: 'modules/stats',
  stats_helper_daily: 'modules/stats',
  stats_household_days: 'modules/stats',
  audit_log: 'modules/audit',
  care_assignments: 'modules/care',
  care_visits: 'modules/care',
  recurring_tasks: 'modules/recurrence',
  import_batches: 'modules/imports',
  import_batch_rows: 'modules/imports',
  wechat_access_tokens: 'infra/wechat',
};

/**
 * Modules that may name any table: the schema itself (migrations, entities' SQLite baseline) and
 * the demo (seeding the demo district, dev login), which only exists when dev login is on.
 */
export const SCHEMA_MODULES: readonly string[] = ['infra/db', 'modules/demo'];

export interface ReadOnlyException {
  module: string;
  table: string;
  why: string;
}

/**
 * Single indexed read queries whose whole point is a join across owners on a hot path. Reads only
 * (FROM / JOIN): a write to another module's table is never an exception. Keep this list short.
 */
export const READ_ONLY_EXCEPTIONS: readonly ReadOnlyException[] = [
  {
    module: 'modules/auth',
    table: 'households',
    why: 'resolveToken runs on every request: one indexed read (sessions by token hash) joins the household of the user',
  },
  {
    module: 'modules/auth',
    table: 'helpers',
    why: 'resolveToken runs on every request: one indexed read (sessions by token hash) joins the helper row of the user',
  },
];

export interface PendingMigration {
  module: string;
  table: string;
}

/**
 * PENDING_MIGRATION — an allowance while helpers work in parallel (2026-11-30), NOT part of the map.
 * Modules other helpers are converting (errands, dispatch, stats, exports, staff, notifications,
 * live/relay, app.ts) still name tables they do not own. The lead empties this list at merge time:
 * each line either disappears because the module now calls the owner, or becomes a
 * READ_ONLY_EXCEPTIONS line with its reason. The test fails on lines no longer needed.
 */
export const PENDING_MIGRATION: readonly PendingMigration[] = [
  // modules/dispatch: helper "perf-create"
  { module: 'modules/dispatch', table: 'communities' },
  { module: 'modules/dispatch', table: 'errands' },
  { module: 'modules/dispatch', table: 'helper_zones' },
  { module: 'modules/dispatch', table: 'helpers' },
  // modules/errands: helper "perf-create"
  { module: 'modules/errands', table: 'buildings' },
  { module: 'modules/errands', table: 'communities' },
  { module: 'modules/errands', table: 'compounds' },
  { module: 'modules/errands', table: 'helpers' },
  { module: 'modules/errands', table: 'households' },
  { module: 'modules/errands', table: 'offers' },
  { module: 'modules/errands', table: 'recurring_tasks' },
  { module: 'modules/errands', table: 'users' },
  // modules/exports: helper "ops-perf"
  { module: 'modules/exports', table: 'buildings' },
  { module: 'modules/exports', table: 'compounds' },
  { module: 'modules/exports', table: 'errands' },
  { module: 'modules/exports', table: 'helpers' },
  { module: 'modules/exports', table: 'households' },
  { module: 'modules/exports', table: 'users' },
  // modules/live: outbox.ts builds event rows from errands and offers (INSERT … SELECT; helper owning live/relay)
  { module: 'modules/live', table: 'errands' },
  { module: 'modules/live', table: 'offers' },
  // modules/staff: helper "ops-perf"
  { module: 'modules/staff', table: 'buildings' },
  { module: 'modules/staff', table: 'errands' },
  { module: 'modules/staff', table: 'households' },
  // modules/stats: helper "ops-perf"
  { module: 'modules/stats', table: 'compounds' },
  { module: 'modules/stats', table: 'errand_events' },
  { module: 'modules/stats', table: 'errands' },
  { module: 'modules/stats', table: 'helpers' },
  { module: 'modules/stats', table: 'users' },
];
