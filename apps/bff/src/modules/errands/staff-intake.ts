import type { CallerErrandBody, ErrandView } from '@linli/contracts';
import { CreateErrandBody } from '@linli/contracts';
import type { Database } from '../../infra/db/database';
import { notFound } from '../../errors';
import { requireStaff, type AuthUser } from '../auth/actor';
import { recordAudit } from '../audit/store';
import type { CommunityService } from '../community/service';
import { findIdempotencyKey } from './create-store';
import type { ErrandService } from './service';

/** The timeline's first line for a hotline errand: the resident sees who put it in. */
const HOTLINE_NOTE = '社区电话代下单';

/**
 * 电话代下单: a staff member creates an errand for a caller's household, through the same steps as
 * any submission (tier, dispatch, live events) and audited as the staff member's action. The desk
 * acts for the community, so the household's open-errand cap does not hold it up. Once per
 * Idempotency-Key: a retry (a double Enter, a dropped line) gets the first errand back.
 */
export class StaffIntake {
  constructor(
    private readonly db: Database,
    private readonly community: CommunityService,
    private readonly errands: ErrandService,
    private readonly now: () => number,
  ) {}

  async createForCaller(actor: AuthUser, householdId: number, body: CallerErrandBody, idempotencyKey: string): Promise<ErrandView> {
    const staff = requireStaff(actor);
    const household = await this.community.household(householdId);
    // Another community's household answers like a missing one.
    if (!household || household.communityId !== staff.staffCommunityId) throw notFound('找不到这户住户，请重新搜索');
    const input = CreateErrandBody.parse(body);
    const created = await this.db.transaction(async (tx) => {
      const view = await this.errands.createFor(
        tx,
        staff,
        input,
        { householdId, capExempt: true, onBehalf: true, submitterRole: 'staff', note: HOTLINE_NOTE },
        idempotencyKey,
      );
      if (!view) return null;
      await recordAudit(tx, {
        communityId: staff.staffCommunityId,
        actorUserId: staff.userId,
        actorRole: 'staff',
        action: 'errand.create_for_caller',
        targetType: 'errand',
        targetId: view.id,
        reason: HOTLINE_NOTE,
        after: { householdId, category: input.category, urgency: input.urgency, items: input.items },
        at: this.now(),
      });
      return view;
    });
    return created ?? this.earlier(staff.userId, idempotencyKey);
  }

  /** The errand a first request with this key created (that request answered it already). */
  private async earlier(userId: number, idempotencyKey: string): Promise<ErrandView> {
    const earlier = await findIdempotencyKey(this.db, userId, idempotencyKey);
    if (!earlier) throw notFound('找不到这次提交的结果，请刷新值班台查看');
    return JSON.parse(earlier.responseJson) as ErrandView;
  }
}
