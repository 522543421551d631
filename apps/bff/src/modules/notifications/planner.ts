import {
  HELPER_KIND_LABELS,
  STATUS_LABELS,
  URGENCY_LABELS,
  maskName,
  type ErrandCategory,
  type ErrandItem,
  type HelperKind,
  type Urgency,
} from '@linli/contracts';
import type { Config } from '../../config';
import type { Sql } from '../../infra/db/database';
import { messageRecipients } from '../auth/store';
import { householdResidents } from '../community/household-read-store';
import { placeNames } from '../community/store';
import { errandMessageFacts } from '../errands/store';
import { helperIdentities } from '../helpers/store';
import type { SequencedEvent } from '../live/domain';
import {
  describeErrand,
  describeOffer,
  describePlace,
  messagePage,
  templateData,
  type MessageParts,
  type NotificationKind,
} from './domain';
import { insertPlannedNotifications, type PlannedNotification } from './store';

/**
 * Plans WeChat subscribe messages from numbered live events. `NotificationFollower` (follower.ts)
 * feeds it the events after its stored position, in a transaction that also moves the position,
 * so each event yields its messages exactly once. What it plans:
 *   offer.created                          → offer_created to the offered helper
 *   errand.updated accepted (a household)  → errand_accepted to the household's resident
 *   errand.updated delivered (a household) → errand_delivered to the household's resident
 * A kind whose template id is null in config is not planned; nor is a message for a household
 * typed in for a neighbour (no user, no WeChat).
 */
export class NotificationPlanner {
  constructor(private readonly options: { config: Config; now: () => number }) {}

  /** Inserts the messages for `events` in `tx` (five reads by primary key and one insert per batch); returns how many. */
  async planNotifications(tx: Sql, events: SequencedEvent[], now: number): Promise<number> {
    const wanted = events.flatMap((e) => {
      const kind = this.kindOf(e);
      return kind && e.errandId !== null ? [{ event: e, kind, errandId: e.errandId }] : [];
    });
    if (wanted.length === 0) return 0;
    const helperIds = unique(wanted.flatMap((w) => (w.event.helperId !== null ? [w.event.helperId] : [])));
    const { errands, helpers } = await readFacts(tx, unique(wanted.map((w) => w.errandId)), helperIds);

    const planned: PlannedNotification[] = [];
    for (const { event, kind, errandId } of wanted) {
      const errand = errands.get(errandId);
      if (!errand) continue;
      const helper = event.helperId !== null ? helpers.get(event.helperId) : undefined;
      const recipient = kind === 'offer_created' ? helper && { userId: helper.userId, openid: helper.openid } : errand.resident;
      if (!recipient) continue;
      const template = this.template(kind);
      const data = templateData(template.keys, messageParts(kind, errand, helper, event.createdAt));
      planned.push({
        eventSeq: event.seq,
        kind,
        communityId: event.communityId,
        userId: recipient.userId,
        openid: recipient.openid,
        errandId,
        templateId: template.id!, // kindOf skipped kinds without one
        page: messagePage(template.page, event.errandPublicId ?? errand.publicId),
        dataJson: JSON.stringify(data),
      });
    }
    await insertPlannedNotifications(tx, planned, now);
    return planned.length;
  }

  private kindOf(e: SequencedEvent): NotificationKind | null {
    let kind: NotificationKind | null = null;
    if (e.type === 'offer.created' && e.helperId !== null) kind = 'offer_created';
    else if (e.type === 'errand.updated' && e.householdId !== null && e.status === 'accepted') kind = 'errand_accepted';
    else if (e.type === 'errand.updated' && e.householdId !== null && e.status === 'delivered') kind = 'errand_delivered';
    return kind && this.template(kind).id !== null ? kind : null;
  }

  private template(kind: NotificationKind) {
    const { templates } = this.options.config.notifications;
    if (kind === 'offer_created') return templates.offerCreated;
    return kind === 'errand_accepted' ? templates.errandAccepted : templates.errandDelivered;
  }
}

interface ErrandFacts {
  publicId: string;
  category: ErrandCategory;
  items: ErrandItem[];
  urgency: Urgency;
  compoundName: string;
  buildingName: string;
  resident: { userId: number; openid: string } | null;
}

interface HelperFacts {
  userId: number;
  openid: string;
  name: string;
  kind: HelperKind;
}

function messageParts(kind: NotificationKind, errand: ErrandFacts, helper: HelperFacts | undefined, at: number): MessageParts {
  const common: MessageParts = {
    errand: { text: describeErrand(errand.category, errand.items) },
    place: { text: describePlace(errand.compoundName, errand.buildingName) },
    urgency: { text: URGENCY_LABELS[errand.urgency] },
    time: { at },
  };
  switch (kind) {
    case 'offer_created':
      return {
        ...common,
        errand: { text: describeOffer(errand.category, errand.items.length) },
        status: { text: '待接单' },
        note: { text: '附近邻居需要帮忙，请尽快查看' },
      };
    case 'errand_accepted': {
      const who = helper ? `${maskName(helper.name)}（${HELPER_KIND_LABELS[helper.kind]}）` : '邻里帮手';
      return { ...common, helper: { text: who }, status: { text: STATUS_LABELS.accepted }, note: { text: '帮手已接单，正在准备' } };
    }
    case 'errand_delivered':
      return { ...common, status: { text: STATUS_LABELS.delivered }, note: { text: '请在小程序中确认收到' } };
  }
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)];
}

/**
 * What the messages for these errands and helpers need, read through the owners of the tables
 * (errands, community, helpers, auth): five reads by primary key per planned batch.
 */
async function readFacts(
  tx: Sql,
  errandIds: number[],
  helperIds: number[],
): Promise<{ errands: Map<number, ErrandFacts>; helpers: Map<number, HelperFacts> }> {
  const errands = await errandMessageFacts(tx, errandIds);
  const list = [...errands.values()];
  const places = await placeNames(tx, unique(list.map((e) => e.compoundId)), unique(list.map((e) => e.buildingId)));
  const residents = await householdResidents(tx, unique(list.flatMap((e) => (e.householdId === null ? [] : [e.householdId]))));
  const helperRows = await helperIdentities(tx, helperIds);
  const residentIds = [...residents.values()].filter((id): id is number => id !== null);
  const contacts = await messageRecipients(tx, unique([...residentIds, ...[...helperRows.values()].map((h) => h.userId)]));

  const factsOfErrands = new Map<number, ErrandFacts>();
  for (const e of list) {
    const residentId = e.householdId === null ? null : (residents.get(e.householdId) ?? null);
    const resident = residentId === null ? undefined : contacts.get(residentId);
    factsOfErrands.set(e.id, {
      publicId: e.publicId,
      category: e.category,
      items: e.items,
      urgency: e.urgency,
      compoundName: places.compounds.get(e.compoundId) ?? '',
      buildingName: places.buildings.get(e.buildingId) ?? '',
      resident: residentId !== null && resident?.openid ? { userId: residentId, openid: resident.openid } : null,
    });
  }
  const factsOfHelpers = new Map<number, HelperFacts>();
  for (const [id, h] of helperRows) {
    const contact = contacts.get(h.userId);
    if (contact) factsOfHelpers.set(id, { userId: h.userId, openid: contact.openid, name: contact.name, kind: h.kind });
  }
  return { errands: factsOfErrands, helpers: factsOfHelpers };
}
