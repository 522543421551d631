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
  website_login_states: 'modules/auth',
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
 *
 * Not listed because the checker cannot see it: the staff queue and history (modules/staff/store.ts,
 * history-store.ts) read errands through a table name built with an index hint (`errands FORCE
 * INDEX …`); they are the hot indexed range reads this list is for, and read nothing else.
 */
export const READ_ONLY_EXCEPTIONS: readonly ReadOnlyException[] = [
  {
    module: 'modules/auth',
    table: 'households',
    why: 'resolveToken runs on every request not answered from the principal cache: one indexed read (sessions by token hash) joins the household of the user',
  },
  {
    module: 'modules/auth',
    table: 'helpers',
    why: 'resolveToken runs on every request not answered from the principal cache: one indexed read (sessions by token hash) joins the helper row of the user',
  },
  {
    module: 'modules/errands',
    table: 'buildings',
    why: "the errand record (every errand view, accept, transition) is one indexed read by public_id joining the errand's building (name, lift)",
  },
  {
    module: 'modules/errands',
    table: 'compounds',
    why: "the errand record (every errand view, accept, transition) is one indexed read by public_id joining the errand's compound (name, lockdown)",
  },
  {
    module: 'modules/errands',
    table: 'households',
    why: "the errand record (every errand view, accept, transition) is one indexed read by public_id joining the errand's household (door, contact)",
  },
  {
    module: 'modules/errands',
    table: 'helpers',
    why: "the errand record (every errand view, accept, transition) is one indexed read by public_id joining the errand's helper (kind), and the accept read counts the helper's capacity in the same statement",
  },
  {
    module: 'modules/errands',
    table: 'users',
    why: "the errand record (every errand view, accept, transition) is one indexed read by public_id joining the errand's helper's name and phone",
  },
  {
    module: 'modules/errands',
    table: 'communities',
    why: "the errand record (every errand view, accept, transition) is one indexed read by public_id joining the errand's community (duty phone)",
  },
  {
    module: 'modules/errands',
    table: 'offers',
    why: "the accept read (one statement) and the helper's polled offer list join the helper's open offers with the errands they offer",
  },
  {
    module: 'modules/dispatch',
    table: 'helpers',
    why: 'the candidate query (every dispatch round, on the create path) ranks zone and nearby helpers in one statement: their duty, capacity and rating columns',
  },
  {
    module: 'modules/dispatch',
    table: 'helper_zones',
    why: "the candidate query (every dispatch round, on the create path) ranks zone and nearby helpers in one statement: the helpers whose zone holds the errand's building",
  },
  {
    module: 'modules/dispatch',
    table: 'errands',
    why: "the candidate query (every dispatch round, on the create path) ranks zone and nearby helpers in one statement: each helper's current load (errands by helper_id and status, indexed)",
  },
  {
    module: 'modules/exports',
    table: 'errands',
    why: "the export stream pages errands on errands_export_index, one statement per page; the WeChat group text reads a place's waiting errands in one statement",
  },
  {
    module: 'modules/exports',
    table: 'households',
    why: "the export page (one statement) and the WeChat group text join each errand's household door (one row each)",
  },
  {
    module: 'modules/exports',
    table: 'buildings',
    why: "the WeChat group text reads a place's waiting errands in one statement joining each one's building name",
  },
  {
    module: 'modules/live',
    table: 'errands',
    why: "the outbox rows are written by INSERT … SELECT in the same packet as the transition (no extra round trip): they copy the errand's ids and status from its row",
  },
  {
    module: 'modules/live',
    table: 'offers',
    why: "the outbox rows are written by INSERT … SELECT in the same packet as the transition (no extra round trip): offer events copy the offered helpers from the round's offers",
  },
  {
    module: 'modules/stats',
    table: 'errands',
    why: 'statistics: the roll-up backfill aggregates errands in INSERT … SELECT statements (no row leaves the database)',
  },
  {
    module: 'modules/stats',
    table: 'errand_events',
    why: 'statistics: the roll-up backfill counts escalations from the events in the same INSERT … SELECT',
  },
];

export interface PendingMigration {
  module: string;
  table: string;
}

/**
 * PENDING_MIGRATION — an allowance for work in progress, NOT part of the map, and empty on the
 * main line. A branch moving a module's SQL to its owner may list (module, table) lines here while
 * it works; each goes before the branch merges, because the module then calls the owner or the
 * line becomes a READ_ONLY_EXCEPTIONS line with its reason. The test fails on lines nothing needs.
 */
export const PENDING_MIGRATION: readonly PendingMigration[] = [];
