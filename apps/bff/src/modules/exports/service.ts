import {
  CATEGORY_LABELS,
  CLOSED_STATUSES,
  OPEN_STATUSES,
  maskName,
  maskPhone,
  STATUS_LABELS,
  URGENCY_LABELS,
  type AuditActorRole,
  type ErrandExportQuery,
  type Urgency,
} from '@linli/contracts';
import type { z } from 'zod';
import type { WechatGroupQuery } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import { notFound } from '../../errors';
import { buildingsById, compoundPlace, placeNamesOfCommunity } from '../community/store';
import { helperNames } from '../helpers/store';
import { requireStaff, type AuthUser } from '../auth/actor';
import { recordAudit } from '../audit/store';
import { requireScope, type Scope } from '../oversight/scope';
import { beijingTime, goodsText, wechatLine, type Cell } from './domain';
import type { ExportSource } from './source';
import { errandExportPage, waitingErrands, type ErrandExportFilter, type ErrandExportRow, type ExportPosition } from './store';
import type { ExportFormat } from './writers';

export interface ExportOptions {
  /** Rows per keyset page (about 1000: a short query, a chunk worth sending). */
  pageSize: number;
  /** Lines at most in a WeChat-group text (a chat message has a length limit). */
  wechatMaxLines: number;
}

const ERRAND_COLUMNS = [
  { header: '代办编号', width: 26 },
  { header: '提交时间', width: 18 },
  { header: '状态' },
  { header: '类别' },
  { header: '物品', width: 30 },
  { header: '紧急程度' },
  { header: '重点人群' },
  { header: '小区' },
  { header: '楼栋' },
  { header: '单元' },
  { header: '楼层' },
  { header: '房间号' },
  { header: '联系人' },
  { header: '电话' },
  { header: '接单人' },
  { header: '接单时间', width: 18 },
  { header: '送达时间', width: 18 },
  { header: '完成时间', width: 18 },
  { header: '取消时间', width: 18 },
] as const;

const ROLE_OF_LEVEL: Record<Scope['level'], AuditActorRole> = { community: 'staff', street: 'street_staff', district: 'district_staff' };

function filterOf(q: ErrandExportQuery): ErrandExportFilter {
  const statuses = q.status ? [q.status] : q.state === 'open' ? OPEN_STATUSES : q.state === 'closed' ? CLOSED_STATUSES : undefined;
  return {
    statuses,
    category: q.category,
    compoundId: q.compoundId,
    buildingId: q.buildingId,
    helperId: q.helperId,
    fromMs: q.from ? Date.parse(q.from) : undefined,
    toMs: q.to ? Date.parse(q.to) : undefined,
  };
}

/** The names an export row shows: its community's compounds and buildings, and the helpers met so far. */
interface ExportNames {
  compounds: Map<number, string>;
  buildings: Map<number, string>;
  helpers: Map<number, string>;
}

/** Street and district staff oversee: they get the rows without names and phone numbers in full. */
function errandCells(e: ErrandExportRow, names: ExportNames, personal: boolean): Cell[] {
  const helperName = e.helperId === null ? null : (names.helpers.get(e.helperId) ?? null);
  return [
    e.publicId,
    beijingTime(e.createdAt),
    STATUS_LABELS[e.status],
    CATEGORY_LABELS[e.category],
    goodsText(e.itemsJson, e.category),
    URGENCY_LABELS[e.urgency as Urgency] ?? e.urgency,
    e.vulnerable ? '是' : '否',
    names.compounds.get(e.compoundId) ?? '',
    names.buildings.get(e.buildingId) ?? '',
    e.unit,
    e.floor,
    e.room,
    personal ? e.contactName : maskName(e.contactName),
    personal ? e.phone : maskPhone(e.phone),
    helperName === null ? null : personal ? helperName : maskName(helperName),
    beijingTime(e.acceptedAt),
    beijingTime(e.deliveredAt),
    beijingTime(e.completedAt),
    beijingTime(e.cancelledAt),
  ];
}

/** Exports of staff lists: every one of personal data is audited before its first byte. */
export class ExportService {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly options: ExportOptions,
  ) {}

  /** Errands of the caller's scope (one community when given), open, closed or both, streamed in pages. */
  async errands(actor: AuthUser, q: ErrandExportQuery, format: ExportFormat): Promise<ExportSource> {
    const scope = await requireScope(this.db, actor, q.communityId);
    const communityIds = q.communityId !== undefined ? [q.communityId] : scope.communityIds;
    const at = this.now();
    await this.db.transaction(async (tx) => {
      for (const communityId of communityIds) {
        await recordAudit(tx, {
          communityId,
          actorUserId: actor.userId,
          actorRole: ROLE_OF_LEVEL[scope.level],
          action: 'export',
          targetType: 'export',
          targetId: `errands.${format}`,
          after: { ...q, format },
          at,
        });
      }
    });
    const filter = filterOf(q);
    const personal = !scope.readOnly;
    const { db } = this;
    const { pageSize } = this.options;
    return {
      fileName: `代办明细-${beijingTime(at).slice(0, 10).replace(/-/g, '')}`,
      sheetName: '代办明细',
      columns: ERRAND_COLUMNS,
      async *pages() {
        const helpers = new Map<number, string>(); // helpers met so far, of any community
        for (const communityId of communityIds) {
          // Read once per export (hundreds of rows), not looked up per exported row.
          const names = { ...(await placeNamesOfCommunity(db, communityId)), helpers };
          let after: ExportPosition | null = null;
          for (;;) {
            const rows = await errandExportPage(db, communityId, filter, after, pageSize);
            const unknown = [...new Set(rows.map((e) => e.helperId).filter((id): id is number => id !== null && !helpers.has(id)))];
            for (const [id, name] of await helperNames(db, unknown)) helpers.set(id, name);
            if (rows.length) yield rows.map((e) => errandCells(e, names, personal));
            if (rows.length < pageSize) break;
            const last = rows[rows.length - 1]!;
            after = { createdAt: last.createdAt, id: last.id };
          }
        }
      },
    };
  }

  /**
   * The text to paste into a building's WeChat group: errands waiting for a helper, one line each
   * (building, floor, goods, waiting time). It names no one and gives no room or phone, so it is
   * not personal data and is not audited.
   */
  async wechatGroup(actor: AuthUser, q: z.infer<typeof WechatGroupQuery>): Promise<string> {
    const staff = requireStaff(actor);
    const place =
      q.buildingId !== undefined
        ? ((await buildingsById(this.db, [q.buildingId])).get(q.buildingId) ?? null)
        : await compoundPlace(this.db, q.compoundId!);
    if (!place || place.communityId !== staff.staffCommunityId) throw notFound();
    const errands = await waitingErrands(this.db, staff.staffCommunityId, q, this.options.wechatMaxLines + 1);
    const t = this.now();
    const shown = errands.slice(0, this.options.wechatMaxLines);
    const lines = [`【${String(place.name)}】待帮忙代办（${beijingTime(t).slice(5)}）`, ...shown.map((e) => wechatLine(e, t))];
    if (errands.length > shown.length) lines.push(`……还有更多，请在工作台查看`);
    if (shown.length === 0) lines.push('暂时没有等待帮忙的代办');
    return lines.join('\n') + '\n';
  }
}
