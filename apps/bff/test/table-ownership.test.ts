import path from 'node:path';
import { ENTITIES } from '../src/infra/db/entities';
import { PENDING_MIGRATION, READ_ONLY_EXCEPTIONS, SCHEMA_MODULES, TABLE_OWNERS } from '../src/infra/db/table-ownership';
import { openDatabase } from '../src/infra/db/orm';
import { loadConfig } from '../src/config';
import {
  checkOwnership,
  describeViolation,
  moduleOf,
  sourceFilesUnder,
  tablesNamedIn,
  type OwnershipMap,
} from './support/table-ownership-check';

// Issue 13.1: each table has one owning module, and only that module's SQL names it.

const MAP: OwnershipMap = {
  owners: TABLE_OWNERS,
  schemaModules: SCHEMA_MODULES,
  exceptions: READ_ONLY_EXCEPTIONS,
  pending: PENDING_MIGRATION,
};
const SRC = path.resolve(__dirname, '../src');

describe('table ownership', () => {
  it('gives every table of the schema exactly one owner, and owns nothing that is not a table', async () => {
    const db = await openDatabase(loadConfig({ LINLI_CONFIG: 'test' }, { db: { url: null, sqlitePath: ':memory:' } }));
    try {
      const tables = (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        .map((r) => r.name)
        .filter((name) => name !== 'mikro_orm_migrations');
      expect(Object.keys(TABLE_OWNERS).sort()).toEqual(tables.sort());
      expect(ENTITIES.length).toBe(tables.length);
    } finally {
      await db.close();
    }
  });

  it('finds no module naming a table it does not own (outside the listed exceptions and pending lines)', () => {
    const { violations } = checkOwnership(sourceFilesUnder(SRC), MAP);
    expect(violations.map(describeViolation)).toEqual([]);
  });

  it('keeps no exception or pending line that nothing needs any more', () => {
    const { unusedPending, unusedExceptions } = checkOwnership(sourceFilesUnder(SRC), MAP);
    expect({ unusedPending, unusedExceptions }).toEqual({ unusedPending: [], unusedExceptions: [] });
  });

  it('lets exceptions cover reads only, each with its reason', () => {
    for (const e of READ_ONLY_EXCEPTIONS) {
      expect(TABLE_OWNERS[e.table]).toBeDefined();
      expect(TABLE_OWNERS[e.table]).not.toBe(e.module);
      expect(e.why.length).toBeGreaterThan(20);
    }
  });
});

describe('the ownership checker', () => {
  const known = new Set(Object.keys(TABLE_OWNERS));

  it('reads table names after FROM, JOIN, INTO, UPDATE, DELETE FROM and TABLE in string and template literals', () => {
    const source = `
      const a = 'SELECT id FROM errands e JOIN households h ON h.id = e.household_id';
      const b = \`INSERT INTO offers (errand_id) SELECT id FROM \${table} WHERE x = 1\`;
      const c = "UPDATE helpers SET verified = 1";
      const d = \`DELETE FROM sessions WHERE expires_at < \${now} AND user_id IN (SELECT id FROM users)\`;
      const e = 'ALTER TABLE notifications ADD COLUMN x INT';
      // SELECT id FROM audit_log in a comment is not SQL that runs
      const f = 'moved from the queue'; const g = 'ON DUPLICATE KEY UPDATE days = VALUES(days)';`;
    expect(tablesNamedIn(source, known).map((m) => `${m.line} ${m.access} ${m.table}`)).toEqual([
      '2 read errands',
      '2 read households',
      '3 write offers',
      '4 write helpers',
      '5 write sessions',
      '5 read users',
      '6 write notifications',
    ]);
  });

  it('places files in modules by their first two path segments', () => {
    expect(moduleOf('modules/errands/store.ts')).toBe('modules/errands');
    expect(moduleOf('infra/wechat/access-token.ts')).toBe('infra/wechat');
    expect(moduleOf('app.ts')).toBe('app.ts');
    expect(moduleOf('infra/redis.ts')).toBe('infra/redis.ts');
  });

  it('fails a planted violation, naming file, table and owner', () => {
    const planted = { file: 'modules/care/planted.ts', source: "export const q = 'SELECT phone FROM users WHERE id = ?';" };
    const { violations } = checkOwnership([planted], { ...MAP, pending: [] });
    expect(violations.map(describeViolation)).toEqual([
      "modules/care/planted.ts:1 reads table users, owned by modules/auth (module modules/care must call the owner's exported functions)",
    ]);
  });

  it('lets a read-only exception cover a read but never a write', () => {
    const map = {
      ...MAP,
      exceptions: [{ module: 'modules/staff', table: 'households', why: 'the staff queue joins errands with households' }],
    };
    const files = [
      { file: 'modules/staff/store.ts', source: "const q = 'SELECT e.id FROM errands e JOIN households h ON h.id = e.household_id';" },
      { file: 'modules/staff/other.ts', source: "const w = 'UPDATE households SET note = ?';" },
    ];
    const { violations } = checkOwnership(files, { ...map, pending: [{ module: 'modules/staff', table: 'errands' }] });
    expect(violations.map((v) => `${v.file} ${v.access} ${v.table}`)).toEqual(['modules/staff/other.ts write households']);
  });

  it('lets the schema module name any table, and reports pending lines nothing needs', () => {
    const files = [{ file: 'infra/db/seed.ts', source: "const s = 'INSERT INTO errands (id) VALUES (1)';" }];
    const stale = { module: 'modules/stats', table: 'errands' };
    expect(checkOwnership(files, { ...MAP, exceptions: [], pending: [stale] })).toEqual({
      violations: [],
      unusedPending: [stale],
      unusedExceptions: [],
    });
  });
});
