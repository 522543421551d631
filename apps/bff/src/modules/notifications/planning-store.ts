import { num, type Sql } from '../../infra/db/database';

/**
 * Takes the planner's position under a row lock and returns it: every event up to it has been
 * planned. The lock makes a second instance's planner wait and then start where this one ended.
 */
export async function lockPlanningCursor(tx: Sql): Promise<number> {
  const read = () =>
    tx.one<{ planned_through: unknown }>(`SELECT planned_through FROM notification_cursor WHERE id = 1${tx.sqlDialect.forUpdate}`);
  const row = await read();
  if (row) return num(row.planned_through);
  // The migration creates the row; a database someone emptied by hand starts from the beginning.
  await tx.run(`${tx.sqlDialect.insertIgnore} INTO notification_cursor (id, planned_through) VALUES (1, 0)`);
  return num((await read())!.planned_through);
}

export async function advancePlanningCursor(tx: Sql, through: number): Promise<void> {
  await tx.run('UPDATE notification_cursor SET planned_through = ? WHERE id = 1', [through]);
}

/** The planner's position, for /metrics and tests. */
export async function planningPosition(sql: Sql): Promise<number> {
  const r = await sql.one<{ planned_through: unknown }>('SELECT planned_through FROM notification_cursor WHERE id = 1');
  return r ? num(r.planned_through) : 0;
}
