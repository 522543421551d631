import type { z } from 'zod';
import type { HelperImportRow, HouseholdImportRow, ImportColumn, ImportRowError } from '@linli/contracts';
import { badRequest } from '../../errors';
import type { Table } from './parse';

// Pure rules of an import: which column is which, each row checked against its schema, places
// resolved by name, duplicates inside the file found. Messages are what staff read next to their
// spreadsheet: 第12行「电话」不是有效的手机号.

const rowError = (row: number, column: string, message: string): ImportRowError => ({
  row,
  column,
  message: `第${row}行「${column}」${message}`,
});

/** Where each column is in the sheet; 400 naming the required columns it lacks. */
function columnPositions(columns: readonly ImportColumn[], headers: readonly string[]): Map<string, number> {
  const positions = new Map<string, number>();
  for (const column of columns) {
    const names = [column.header, ...(column.aliases ?? [])];
    const at = headers.findIndex((h) => names.includes(h));
    if (at >= 0) positions.set(column.key, at);
  }
  const missing = columns.filter((c) => c.required && !positions.has(c.key)).map((c) => `「${c.header}」`);
  if (missing.length) {
    throw badRequest('MISSING_COLUMNS', `表头缺少${missing.join('、')}列，请下载模板对照填写（第一行为表头）`);
  }
  return positions;
}

export interface CheckedRow<T> {
  rowNo: number;
  value: T;
}

/** Every row against the schema; the first problem of each cell is reported. */
export function checkRows<S extends z.ZodType>(
  table: Table,
  columns: readonly ImportColumn[],
  schema: S,
): { rows: CheckedRow<z.infer<S>>[]; errors: ImportRowError[] } {
  const positions = columnPositions(columns, table.headers);
  const headerOf = new Map(columns.map((c) => [c.key, c.header]));
  const rows: CheckedRow<z.infer<S>>[] = [];
  const errors: ImportRowError[] = [];
  for (const { rowNo, cells } of table.rows) {
    const input: Record<string, string> = {};
    for (const column of columns) {
      const at = positions.get(column.key);
      input[column.key] = at === undefined ? '' : (cells[at] ?? '');
    }
    const parsed = schema.safeParse(input);
    if (parsed.success) {
      rows.push({ rowNo, value: parsed.data as z.infer<S> });
      continue;
    }
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (seen.has(key)) continue;
      seen.add(key);
      errors.push(rowError(rowNo, headerOf.get(key) ?? key, issue.message));
    }
  }
  return { rows, errors };
}

export interface BuildingRef {
  id: number;
  floors: number;
}

/** Buildings of the community by name; a name used twice (in two compounds) is ambiguous. */
export type BuildingsByName = ReadonlyMap<string, readonly BuildingRef[]>;

export interface HouseholdToApply extends Omit<HouseholdImportRow, 'building'> {
  buildingId: number;
}

export function resolveHouseholds(
  checked: CheckedRow<HouseholdImportRow>[],
  buildings: BuildingsByName,
): { rows: CheckedRow<HouseholdToApply>[]; errors: ImportRowError[] } {
  const rows: CheckedRow<HouseholdToApply>[] = [];
  const errors: ImportRowError[] = [];
  const firstRowOfDoor = new Map<string, number>();
  for (const { rowNo, value } of checked) {
    const { building, ...rest } = value;
    const matches = buildings.get(building) ?? [];
    if (matches.length === 0) {
      errors.push(rowError(rowNo, '楼栋', `本社区没有“${building}”，请与社区登记的楼栋名称一致`));
      continue;
    }
    if (matches.length > 1) {
      errors.push(rowError(rowNo, '楼栋', `“${building}”在本社区有重名，请联系管理员区分`));
      continue;
    }
    const ref = matches[0]!;
    if (value.floor > ref.floors) {
      errors.push(rowError(rowNo, '楼层', `超过了${building}的${ref.floors}层`));
      continue;
    }
    const door = `${ref.id}|${value.unit}|${value.room}`;
    const first = firstRowOfDoor.get(door);
    if (first !== undefined) {
      errors.push(rowError(rowNo, '房间号', `与第${first}行是同一户（楼栋、单元、房间号相同）`));
      continue;
    }
    firstRowOfDoor.set(door, rowNo);
    rows.push({ rowNo, value: { ...rest, buildingId: ref.id } });
  }
  return { rows, errors };
}

export interface HelperToApply extends Omit<HelperImportRow, 'homeBuilding'> {
  homeBuildingId: number | null;
}

export function resolveHelpers(
  checked: CheckedRow<HelperImportRow>[],
  buildings: BuildingsByName,
): { rows: CheckedRow<HelperToApply>[]; errors: ImportRowError[] } {
  const rows: CheckedRow<HelperToApply>[] = [];
  const errors: ImportRowError[] = [];
  const firstRowOfPhone = new Map<string, number>();
  for (const { rowNo, value } of checked) {
    const { homeBuilding, ...rest } = value;
    let homeBuildingId: number | null = null;
    if (homeBuilding !== '') {
      const matches = buildings.get(homeBuilding) ?? [];
      if (matches.length !== 1) {
        errors.push(rowError(rowNo, '居住楼栋', matches.length ? `“${homeBuilding}”在本社区有重名` : `本社区没有“${homeBuilding}”`));
        continue;
      }
      homeBuildingId = matches[0]!.id;
    }
    const first = firstRowOfPhone.get(value.phone);
    if (first !== undefined) {
      errors.push(rowError(rowNo, '电话', `与第${first}行的电话相同`));
      continue;
    }
    firstRowOfPhone.set(value.phone, rowNo);
    rows.push({ rowNo, value: { ...rest, homeBuildingId } });
  }
  return { rows, errors };
}
