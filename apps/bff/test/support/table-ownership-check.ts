import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { PendingMigration, ReadOnlyException } from '../../src/infra/db/table-ownership';

// The checker behind test/table-ownership.test.ts: finds the tables a source file's SQL names and
// holds them to the ownership map. Kept apart from the test so it can be tried on planted files.

export type Access = 'read' | 'write';

export interface TableMention {
  table: string;
  access: Access;
  line: number;
}

export interface OwnershipMap {
  owners: Readonly<Record<string, string>>;
  schemaModules: readonly string[];
  exceptions: readonly ReadOnlyException[];
  pending: readonly PendingMigration[];
}

export interface Violation {
  file: string;
  line: number;
  module: string;
  table: string;
  access: Access;
  owner: string;
}

/**
 * The table names after FROM / JOIN (reads) and INTO / UPDATE / DELETE FROM / TABLE (writes) in
 * the text of one string or template literal. Only names in `known` count: the same words occur in
 * prose ("from the queue") and after UPDATE in upserts ("ON DUPLICATE KEY UPDATE days = …").
 */
export function tablesInSqlText(text: string, known: ReadonlySet<string>): { table: string; access: Access }[] {
  const found: { table: string; access: Access }[] = [];
  const pattern = /\b(DELETE\s+FROM|FROM|JOIN|INTO|UPDATE|TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?)\s+[`"]?([A-Za-z_][A-Za-z0-9_]*)/gi;
  for (const m of text.matchAll(pattern)) {
    const keyword = m[1]!.toUpperCase();
    const table = m[2]!.toLowerCase();
    if (!known.has(table)) continue;
    found.push({ table, access: keyword === 'FROM' || keyword === 'JOIN' ? 'read' : 'write' });
  }
  return found;
}

/** Every table named by the string and template literals of a TypeScript source, with its line. */
export function tablesNamedIn(source: string, known: ReadonlySet<string>, fileName = 'source.ts'): TableMention[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const mentions: TableMention[] = [];
  const take = (node: ts.Node, text: string) => {
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    for (const m of tablesInSqlText(text, known)) mentions.push({ ...m, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) take(node, node.text);
    // A substitution stands in as a placeholder no table name can match: `FROM ${t}` names nothing.
    if (ts.isTemplateExpression(node)) take(node, [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ${} '));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return mentions;
}

/** `modules/errands/store.ts` → `modules/errands`; a file with no folder of its own is its own module. */
export function moduleOf(relativeToSrc: string): string {
  const parts = relativeToSrc.split(/[\\/]/);
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : relativeToSrc;
}

/** Why `module` may name `table` this way, or null if nothing in the map allows it. */
function allowance(map: OwnershipMap, module: string, table: string, access: Access): 'owner' | 'schema' | 'exception' | 'pending' | null {
  if (map.owners[table] === module) return 'owner';
  if (map.schemaModules.includes(module)) return 'schema';
  if (access === 'read' && map.exceptions.some((e) => e.module === module && e.table === table)) return 'exception';
  if (map.pending.some((p) => p.module === module && p.table === table)) return 'pending';
  return null;
}

export interface CheckResult {
  violations: Violation[];
  /** Pending and exception lines that no longer match anything: the map should drop them. */
  unusedPending: PendingMigration[];
  unusedExceptions: ReadOnlyException[];
}

/** Holds every (file relative to src/, source) pair to the map. */
export function checkOwnership(files: readonly { file: string; source: string }[], map: OwnershipMap): CheckResult {
  const known = new Set(Object.keys(map.owners));
  const violations: Violation[] = [];
  const usedPending = new Set<PendingMigration>();
  const usedExceptions = new Set<ReadOnlyException>();
  for (const { file, source } of files) {
    const module = moduleOf(file);
    for (const m of tablesNamedIn(source, known, file)) {
      const why = allowance(map, module, m.table, m.access);
      if (why === 'exception') usedExceptions.add(map.exceptions.find((e) => e.module === module && e.table === m.table)!);
      if (why === 'pending') usedPending.add(map.pending.find((p) => p.module === module && p.table === m.table)!);
      if (why === null) violations.push({ file, line: m.line, module, table: m.table, access: m.access, owner: map.owners[m.table]! });
    }
  }
  return {
    violations,
    unusedPending: map.pending.filter((p) => !usedPending.has(p)),
    unusedExceptions: map.exceptions.filter((e) => !usedExceptions.has(e)),
  };
}

/** Every non-test .ts file under `srcDir`, as paths relative to it. */
export function sourceFilesUnder(srcDir: string): { file: string; source: string }[] {
  const out: { file: string; source: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
        out.push({ file: path.relative(srcDir, full).split(path.sep).join('/'), source: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(srcDir);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

export const describeViolation = (v: Violation): string =>
  `${v.file}:${v.line} ${v.access}s table ${v.table}, owned by ${v.owner} (module ${v.module} must call the owner's exported functions)`;
