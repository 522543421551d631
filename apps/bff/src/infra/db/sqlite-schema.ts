/** Runs one read-only statement and returns its rows. */
export type ReadSql = (sql: string) => Promise<Record<string, unknown>[]>;

export interface SqliteTable {
  /** name → "type [not null] [default x] [pk n]" */
  columns: Record<string, string>;
  /** name → "[unique ](col, col)"; the primary key's own index is described by the columns. */
  indexes: Record<string, string>;
  /** Every `check (...)` in the table's definition, normalised (enum columns live here). */
  checks: string[];
  autoincrement: boolean;
}

export type SqliteSchema = Record<string, SqliteTable>;

/** Tables that are bookkeeping, not schema: SQLite's own and the migration history. */
const isBookkeeping = (name: string) => name.startsWith('sqlite_') || name === 'mikro_orm_migrations';

/** The bodies of every `check (...)` clause, with balanced parentheses. */
function checksOf(sql: string): string[] {
  const found: string[] = [];
  const re = /\bcheck\s*\(/gi;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    let depth = 1;
    let i = re.lastIndex;
    for (; i < sql.length && depth > 0; i++) depth += sql[i] === '(' ? 1 : sql[i] === ')' ? -1 : 0;
    found.push(
      sql
        .slice(re.lastIndex, i - 1)
        .replace(/[`"[\]]/g, '')
        .replace(/\s+/g, ' ')
        .toLowerCase()
        .trim(),
    );
  }
  return found.sort();
}

/**
 * A SQLite schema as the database itself reports it (column order and quoting ignored), to tell
 * whether two files have the same tables, columns, defaults, enum checks, indexes and unique keys.
 */
export async function describeSqliteSchema(read: ReadSql): Promise<SqliteSchema> {
  const schema: SqliteSchema = {};
  const tables = await read(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`);
  for (const t of tables) {
    const name = String(t.name);
    if (isBookkeeping(name)) continue;
    const sql = String(t.sql);
    const columns: Record<string, string> = {};
    for (const c of await read(`PRAGMA table_info(\`${name}\`)`)) {
      const parts = [String(c.type).toLowerCase()];
      if (Number(c.notnull)) parts.push('not null');
      if (c.dflt_value !== null) parts.push(`default ${String(c.dflt_value)}`);
      if (Number(c.pk)) parts.push(`pk ${Number(c.pk)}`);
      columns[String(c.name)] = parts.join(' ');
    }
    const indexes: Record<string, string> = {};
    for (const i of await read(`PRAGMA index_list(\`${name}\`)`)) {
      if (i.origin === 'pk') continue;
      const cols = await read(`PRAGMA index_info(\`${String(i.name)}\`)`);
      const list = cols.sort((a, b) => Number(a.seqno) - Number(b.seqno)).map((c) => String(c.name));
      indexes[String(i.name)] = `${Number(i.unique) ? 'unique ' : ''}(${list.join(', ')})`;
    }
    schema[name] = { columns, indexes, checks: checksOf(sql), autoincrement: /\bautoincrement\b/i.test(sql) };
  }
  return schema;
}

/** Human-readable differences between two schemas, empty when they are the same. */
export function sqliteSchemaDifferences(actual: SqliteSchema, expected: SqliteSchema): string[] {
  const out: string[] = [];
  for (const table of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const a = actual[table];
    const e = expected[table];
    if (!a || !e) {
      out.push(`table ${table}: ${a ? 'not expected' : 'missing'}`);
      continue;
    }
    for (const kind of ['columns', 'indexes'] as const) {
      for (const key of new Set([...Object.keys(a[kind]), ...Object.keys(e[kind])])) {
        if (a[kind][key] !== e[kind][key]) out.push(`${table}.${key}: ${a[kind][key] ?? 'missing'} (expected ${e[kind][key] ?? 'none'})`);
      }
    }
    if (a.checks.join('; ') !== e.checks.join('; ')) out.push(`${table} checks: ${a.checks.join('; ')} (expected ${e.checks.join('; ')})`);
    if (a.autoincrement !== e.autoincrement) out.push(`${table} autoincrement: ${a.autoincrement} (expected ${e.autoincrement})`);
  }
  return out;
}
