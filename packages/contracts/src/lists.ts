import { z } from 'zod';
import { ErrandCategory, ErrandStatus, HelperKind } from './enums';
import { IsoDateTime, isPlainLine } from './common';

// Lists in and out (brief §9): export filters, the import report, and the columns staff keep in
// their own spreadsheets.

/** Which errands an export holds: open (the queue), closed (the history) or both. */
export const EXPORT_STATES = ['all', 'open', 'closed'] as const;

export const ErrandExportQuery = z.object({
  /** Street and district staff pick one of their communities; community staff export their own. */
  communityId: z.coerce.number().int().positive().optional(),
  state: z.enum(EXPORT_STATES).default('all'),
  status: ErrandStatus.optional(),
  category: ErrandCategory.optional(),
  compoundId: z.coerce.number().int().positive().optional(),
  buildingId: z.coerce.number().int().positive().optional(),
  helperId: z.coerce.number().int().positive().optional(),
  /** Created at or after (ISO 8601). */
  from: IsoDateTime.optional(),
  /** Created before (ISO 8601). */
  to: IsoDateTime.optional(),
});
export type ErrandExportQuery = z.infer<typeof ErrandExportQuery>;

/** The text for a building's WeChat group: one building or one compound. */
export const WechatGroupQuery = z
  .object({
    buildingId: z.coerce.number().int().positive().optional(),
    compoundId: z.coerce.number().int().positive().optional(),
  })
  .refine((q) => (q.buildingId === undefined) !== (q.compoundId === undefined), {
    message: '请选择一栋楼或一个小区（二选一）',
    path: ['buildingId'],
  });

export const IMPORT_KINDS = ['households', 'helpers'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const ImportBatchParams = z.object({ id: z.coerce.number().int().positive() });

export const ImportRowError = z.object({
  /** The row number as the spreadsheet shows it (the header is row 1). */
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ImportReport = z.object({
  batchId: z.number().int(),
  kind: z.enum(IMPORT_KINDS),
  valid: z.number().int(),
  invalid: z.number().int(),
  /** Row-level errors in Chinese, at most the first 500. */
  errors: z.array(ImportRowError),
  /** The first valid rows as they will be applied. */
  preview: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  committable: z.boolean(),
  expiresAt: IsoDateTime,
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportCommitResult = z.object({
  batchId: z.number().int(),
  /** False when the batch had been committed before: nothing was applied a second time. */
  applied: z.boolean(),
  inserted: z.number().int(),
  updated: z.number().int(),
});
export type ImportCommitResult = z.infer<typeof ImportCommitResult>;

// ---- Row schemas: every cell arrives as trimmed text ----

const YES = new Set(['是', 'y', 'yes', '1', 'true', '√', '✓', '有']);
const NO = new Set(['', '否', 'n', 'no', '0', 'false', '×', '无']);
/** 是/否 cells: blank is 否. */
export const YesNoCell = z.string().transform((v, ctx) => {
  const s = v.trim().toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  ctx.addIssue({ code: 'custom', message: '请填写“是”或“否”' });
  return z.NEVER;
});

const line = (max: number, label: string) =>
  z.string().trim().min(1, `${label}不能为空`).max(max, `不能超过${max}个字`).refine(isPlainLine, '含有看不见的特殊字符');
const mobile = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '不是有效的手机号');

export const HouseholdImportRow = z.object({
  building: line(30, '楼栋'),
  unit: line(10, '单元'),
  floor: z
    .string()
    .trim()
    .regex(/^-?\d{1,2}$/, '须为整数楼层')
    .transform(Number)
    .pipe(z.number().min(-3, '楼层太低').max(99, '楼层太高')),
  room: line(10, '房间号'),
  contactName: line(20, '联系人'),
  phone: mobile,
  elderlyAlone: YesNoCell,
  disabled: YesNoCell,
  postTreatment: YesNoCell,
});
export type HouseholdImportRow = z.infer<typeof HouseholdImportRow>;

const KIND_BY_LABEL: Record<string, HelperKind> = {
  党员中心户: 'household_head',
  党员: 'household_head',
  household_head: 'household_head',
  志愿者: 'volunteer',
  volunteer: 'volunteer',
  '': 'volunteer',
};
export const HelperImportRow = z.object({
  name: line(30, '姓名'),
  phone: mobile,
  kind: z.string().transform((v, ctx) => {
    const kind = KIND_BY_LABEL[v.trim()];
    if (kind) return kind;
    ctx.addIssue({ code: 'custom', message: '请填写“党员中心户”或“志愿者”' });
    return z.NEVER;
  }),
  canCarryHeavy: YesNoCell,
  capacity: z
    .string()
    .trim()
    .transform((v) => (v === '' ? '2' : v))
    .pipe(z.string().regex(/^\d{1,2}$/, '须为1到5的整数'))
    .transform(Number)
    .pipe(z.number().min(1, '须为1到5的整数').max(5, '须为1到5的整数')),
  /** Optional: the building they live in (their home for matching by distance). */
  homeBuilding: z.string().trim().max(30, '不能超过30个字'),
});
export type HelperImportRow = z.infer<typeof HelperImportRow>;

/**
 * One column of an import template: the row schema's key, the header staff see, other headers
 * accepted for it (the names people already use in their sheets), and whether it must be present.
 * The care-ledger adds its flags here (e.g. { key: 'chronicMedication', header: '长期服药' },
 * 'infant' 婴幼儿, 'pregnant' 孕产妇, and 'responsibleHelperPhone' 包保人电话) with matching keys
 * in HouseholdImportRow; the parser and template follow this list.
 */
export interface ImportColumn {
  key: string;
  header: string;
  aliases?: readonly string[];
  required: boolean;
  example: string;
}

export const HOUSEHOLD_IMPORT_COLUMNS: readonly ImportColumn[] = [
  { key: 'building', header: '楼栋', aliases: ['楼号', '楼'], required: true, example: '3号楼' },
  { key: 'unit', header: '单元', required: true, example: '1' },
  { key: 'floor', header: '楼层', aliases: ['层'], required: true, example: '6' },
  { key: 'room', header: '房间号', aliases: ['房号', '门牌号', '室'], required: true, example: '602' },
  { key: 'contactName', header: '联系人', aliases: ['姓名', '户主'], required: true, example: '王秀兰' },
  { key: 'phone', header: '电话', aliases: ['手机号', '联系电话', '手机'], required: true, example: '13800000000' },
  { key: 'elderlyAlone', header: '独居老人', required: false, example: '是' },
  { key: 'disabled', header: '残疾', aliases: ['残障'], required: false, example: '否' },
  { key: 'postTreatment', header: '病后术后', aliases: ['病后/术后休养', '术后'], required: false, example: '否' },
];

export const HELPER_IMPORT_COLUMNS: readonly ImportColumn[] = [
  { key: 'name', header: '姓名', required: true, example: '李建国' },
  { key: 'phone', header: '电话', aliases: ['手机号', '联系电话', '手机'], required: true, example: '13900000000' },
  { key: 'kind', header: '身份', aliases: ['类型'], required: false, example: '党员中心户' },
  { key: 'canCarryHeavy', header: '能搬重物', required: false, example: '是' },
  { key: 'capacity', header: '同时接单上限', aliases: ['接单上限'], required: false, example: '2' },
  { key: 'homeBuilding', header: '居住楼栋', aliases: ['楼栋'], required: false, example: '3号楼' },
];
