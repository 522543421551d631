import {
  HELPER_IMPORT_COLUMNS,
  HelperImportRow,
  HOUSEHOLD_IMPORT_COLUMNS,
  HouseholdImportRow,
  type ImportColumn,
  type ImportCommitResult,
  type ImportKind,
  type ImportReport,
  type ImportRowError,
} from '@linli/contracts';
import { AppError, conflict, notFound, unprocessable } from '../../errors';
import type { Database } from '../../infra/db/database';
import type { AuthUser } from '../auth/actor';
import { recordAudit } from '../audit/store';
import { requireScope } from '../oversight/scope';
import { checkRows, resolveHelpers, resolveHouseholds, type HelperToApply, type HouseholdToApply } from './domain';
import { readTable } from './parse';
import { applyHelpers, applyHouseholds, batchRows, buildingsByName, claimBatch, discardExpired, findBatch, insertBatch } from './store';
import type { PrincipalCache } from '../auth/principal-cache';

export interface ImportOptions {
  maxBytes: number;
  maxRows: number;
  batchMs: number;
}

export const IMPORT_COLUMNS: Record<ImportKind, readonly ImportColumn[]> = {
  households: HOUSEHOLD_IMPORT_COLUMNS,
  helpers: HELPER_IMPORT_COLUMNS,
};

const ERRORS_SHOWN = 500;
const PREVIEW_ROWS = 20;

/** The file was too large: said before anything is read. */
export const fileTooLarge = (maxBytes: number) =>
  new AppError(
    413,
    'FILE_TOO_LARGE',
    `文件太大了，最大${maxBytes >= 2 ** 20 ? `${Math.floor(maxBytes / 2 ** 20)} MB` : `${Math.floor(maxBytes / 1024)} KB`}，请分成几个文件上传`,
  );

/**
 * Imports of the lists staff already keep: upload → a report of every row's problems → commit.
 * A batch with any invalid row cannot be committed, so a bad file changes nothing.
 */
export class ImportService {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    readonly options: ImportOptions,
    private readonly principals: PrincipalCache,
  ) {}

  private async communityOf(actor: AuthUser): Promise<number> {
    await requireScope(this.db, actor, undefined, { write: true });
    return actor.staffCommunityId!;
  }

  async upload(actor: AuthUser, kind: ImportKind, fileName: string, file: Buffer): Promise<ImportReport> {
    const communityId = await this.communityOf(actor);
    if (file.length > this.options.maxBytes) throw fileTooLarge(this.options.maxBytes);
    const table = await readTable(file, this.options.maxRows);
    const buildings = await buildingsByName(this.db, communityId);
    let rows: { rowNo: number; value: HouseholdToApply | HelperToApply }[];
    let errors: ImportRowError[];
    if (kind === 'households') {
      const checked = checkRows(table, HOUSEHOLD_IMPORT_COLUMNS, HouseholdImportRow);
      const resolved = resolveHouseholds(checked.rows, buildings);
      rows = resolved.rows;
      errors = [...checked.errors, ...resolved.errors];
    } else {
      const checked = checkRows(table, HELPER_IMPORT_COLUMNS, HelperImportRow);
      const resolved = resolveHelpers(checked.rows, buildings);
      rows = resolved.rows;
      errors = [...checked.errors, ...resolved.errors];
    }
    errors.sort((a, b) => a.row - b.row);
    const invalidRows = new Set(errors.map((e) => e.row)).size;
    const at = this.now();
    const expiresAt = at + this.options.batchMs;
    const preview = rows.slice(0, PREVIEW_ROWS).map((r) => ({ row: r.rowNo, ...r.value }));
    const report = { valid: rows.length, invalid: invalidRows, errors: errors.slice(0, ERRORS_SHOWN), preview };
    const batchId = await this.db.transaction(async (tx) => {
      await discardExpired(tx, communityId, at);
      return insertBatch(
        tx,
        {
          communityId,
          kind,
          fileName: [...fileName].slice(0, 100).join(''),
          validCount: rows.length,
          invalidCount: invalidRows,
          reportJson: JSON.stringify(report),
          createdBy: actor.userId,
          createdAt: at,
          expiresAt,
        },
        // Rows are kept only for a batch that can be committed.
        invalidRows === 0 ? rows : [],
      );
    });
    return { batchId, kind, ...report, committable: invalidRows === 0, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Applies a clean batch in one transaction; committing it again applies nothing. */
  async commit(actor: AuthUser, batchId: number): Promise<ImportCommitResult> {
    const communityId = await this.communityOf(actor);
    const batch = await findBatch(this.db, batchId);
    if (!batch || batch.communityId !== communityId) throw notFound();
    if (batch.invalidCount > 0) {
      throw unprocessable('IMPORT_HAS_ERRORS', `文件中有${batch.invalidCount}行有误，整批没有导入；请改正后重新上传`);
    }
    if (batch.status === 'committed') return { batchId, applied: false, inserted: 0, updated: 0 };
    if (batch.status !== 'pending') throw conflict('IMPORT_DISCARDED', '这批数据已作废，请重新上传');
    const at = this.now();
    if (at > batch.expiresAt) throw conflict('IMPORT_EXPIRED', '上传已超过有效期，请重新上传文件');
    const result = await this.db.transaction(async (tx) => {
      if (!(await claimBatch(tx, batchId, at))) return { batchId, applied: false, inserted: 0, updated: 0 };
      const counts =
        batch.kind === 'households'
          ? await applyHouseholds(tx, communityId, await batchRows<HouseholdToApply>(tx, batchId), at)
          : await applyHelpers(tx, communityId, await batchRows<HelperToApply>(tx, batchId), at);
      await recordAudit(tx, {
        communityId,
        actorUserId: actor.userId,
        actorRole: 'staff',
        action: 'import.commit',
        targetType: 'import',
        targetId: batchId,
        after: { kind: batch.kind, ...counts },
        at,
      });
      return { batchId, applied: true, ...counts };
    });
    // A list may give users roles, households and helper rows: forget every cached caller.
    if (result.applied) this.principals.changed({ kind: 'everyone' });
    return result;
  }

  /** Who may download a template: anyone on the staff side. */
  async requireTemplateReader(actor: AuthUser): Promise<void> {
    await requireScope(this.db, actor);
  }
}
