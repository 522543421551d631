import fc from 'fast-check';
import { ERRAND_STATUSES, ErrandView } from '@linli/contracts';
import { type ErrandRecord, type Relation, type TimelineRow } from './domain';
import { VIEW_RULES, noteSourceOf, toErrandView, visibleTimeline } from './views';

const ASSIGNED_HELPER_USER = 50;
const PREVIOUS_HELPER_USER = 51;
const STAFF_USER = 60;
const RESIDENT_USER = 100;

const record: ErrandRecord = {
  id: 1,
  publicId: 'p'.repeat(22),
  communityId: 7,
  compoundId: 2,
  acceptedAt: null,
  buildingId: 3,
  householdId: 11,
  requesterId: RESIDENT_USER,
  onBehalf: false,
  category: 'medicine',
  items: [
    { name: '二甲双胍', quantity: 2, unit: '盒' },
    { name: '胰岛素针头', quantity: 1 },
    { name: '降压药', quantity: 1 },
  ],
  heavy: false,
  urgency: 'urgent',
  vulnerable: true,
  windowStart: Date.UTC(2026, 10, 28, 8),
  windowEnd: Date.UTC(2026, 10, 28, 10),
  notes: '老人听力不好，请多敲几下门',
  status: 'accepted',
  helperId: 5,
  handoverCode: '0427',
  version: 6,
  dispatchRound: 2,
  ratingStars: null,
  ratingComment: null,
  createdAt: 0,
  updatedAt: 0,
  compoundName: '河畔花园',
  lockdown: 'closed',
  buildingName: '1号楼',
  slaTier: 'yellow',
  dueAt: 86_400_000,
  hasLift: false,
  unit: '2',
  floor: 6,
  room: '602',
  contactName: '王秀兰',
  contactPhone: '13812341234',
  helperName: '李卫东',
  helperPhone: '13801010101',
  helperKind: 'household_head',
  dutyPhone: '024-24123560',
};

const STAFF_REASON = '指派给张建国：独居老人，是低保户，优先';
const RELEASE_REASON = '接单人放弃：家里有人确诊，不能出门';
const timeline: TimelineRow[] = [
  { at: 1, from: null, to: 'pending', actorRole: 'resident', actorUserId: RESIDENT_USER, note: '提交代办' },
  { at: 2, from: 'pending', to: 'offered', actorRole: 'system', actorUserId: null, note: '第1轮：已通知3位接单人' },
  { at: 3, from: 'offered', to: 'accepted', actorRole: 'helper', actorUserId: PREVIOUS_HELPER_USER, note: null },
  { at: 4, from: 'accepted', to: 'pending', actorRole: 'helper', actorUserId: PREVIOUS_HELPER_USER, note: RELEASE_REASON },
  { at: 5, from: 'pending', to: 'accepted', actorRole: 'staff', actorUserId: STAFF_USER, note: STAFF_REASON },
  { at: 6, from: 'accepted', to: 'in_progress', actorRole: 'helper', actorUserId: ASSIGNED_HELPER_USER, note: '已取货，正在配送' },
];
const notesOf = (v: ErrandView) => v.timeline.map((t) => t.note);

describe('what an offered helper sees before accepting', () => {
  const view = toErrandView({ ...record, status: 'offered', helperId: null }, 'offered_helper', timeline, 70);

  it('gets what deciding needs: category, item count, heavy, floor and lift, time window, urgency', () => {
    expect(view).toMatchObject({
      category: 'medicine',
      itemCount: 3,
      heavy: false,
      urgency: 'urgent',
      place: { floor: 6, hasLift: false, compoundName: '河畔花园', buildingName: '1号楼' },
      window: { start: '2026-11-28T08:00:00.000Z', end: '2026-11-28T10:00:00.000Z' },
    });
  });

  it('gets no item names, notes, vulnerable flag, address, rating or timeline', () => {
    expect(view).toMatchObject({ items: [], notes: null, vulnerable: null, address: null, rating: null, timeline: [] });
    const text = JSON.stringify(view);
    for (const secret of ['二甲双胍', '听力', '602', '13812341234', '低保', '确诊']) expect(text).not.toContain(secret);
  });

  it('never gets a secret, whatever the errand holds', () => {
    const secret = fc.string({ minLength: 3 }).map((s) => `§${s}§`);
    fc.assert(
      fc.property(secret, secret, fc.boolean(), fc.integer({ min: 1, max: 5 }), (itemName, note, vulnerable, stars) => {
        const e = { ...record, items: [{ name: itemName, quantity: 1 }], notes: note, vulnerable, ratingStars: stars, ratingComment: note };
        const v = toErrandView(
          e,
          'offered_helper',
          timeline.map((t) => ({ ...t, note })),
          70,
        );
        expect(JSON.stringify(v)).not.toContain('§');
        expect(v.itemCount).toBe(1);
        expect(ErrandView.safeParse(v).success).toBe(true);
      }),
    );
  });
});

describe('what the assigned helper sees', () => {
  const view = toErrandView(record, 'assigned_helper', timeline, ASSIGNED_HELPER_USER);

  it('gets the items, the resident notes, the address and the full phone to deliver', () => {
    expect(view.items.map((i) => i.name)).toEqual(['二甲双胍', '胰岛素针头', '降压药']);
    expect(view.notes).toBe(record.notes);
    expect(view.address).toMatchObject({ room: '602', phone: '13812341234' });
  });

  it("keeps every step, but neither staff's reason nor a previous helper's release reason", () => {
    expect(view.timeline.map((t) => t.to)).toEqual(timeline.map((t) => t.to));
    expect(notesOf(view)).toEqual([
      '提交代办',
      '第1轮：已通知3位接单人',
      null,
      '接单人已放弃，正在重新寻找',
      '社区工作者已安排接单人',
      '已取货，正在配送',
    ]);
  });

  it("is told when staff confirmed the delivery and the receipt for them, without staff's reasons", () => {
    const confirmedByStaff: TimelineRow[] = [
      ...timeline,
      { at: 7, from: 'in_progress', to: 'delivered', actorRole: 'staff', actorUserId: STAFF_USER, note: '电话核实：王秀兰说已收到' },
      { at: 8, from: 'delivered', to: 'completed', actorRole: 'staff', actorUserId: STAFF_USER, note: '住户没有小程序' },
    ];
    const notes = notesOf(toErrandView({ ...record, status: 'completed' }, 'assigned_helper', confirmedByStaff, ASSIGNED_HELPER_USER));
    expect(notes.slice(-2)).toEqual(['社区工作者已核实，代为确认送达', '社区工作者已代住户确认收到']);
    expect(JSON.stringify(notes)).not.toMatch(/电话核实|没有小程序/);
  });
});

describe('what the household and staff see', () => {
  it("shows the household staff's reasons but not why a helper gave the errand back", () => {
    const notes = notesOf(toErrandView(record, 'household', timeline, RESIDENT_USER));
    expect(notes).toContain(STAFF_REASON);
    expect(notes).toContain('接单人已放弃，正在重新寻找');
    expect(notes).not.toContain(RELEASE_REASON);
  });

  it('shows staff everything', () => {
    const view = toErrandView(record, 'staff', timeline, STAFF_USER);
    expect(notesOf(view)).toEqual(timeline.map((t) => t.note));
    expect(view).toMatchObject({ vulnerable: true, notes: record.notes, handoverCode: '0427', itemCount: 3 });
  });

  it('lets a helper read their own release reason when the errand comes back to them', () => {
    expect(notesOf(toErrandView(record, 'assigned_helper', timeline, PREVIOUS_HELPER_USER))).toContain(RELEASE_REASON);
  });
});

describe('the visibility rule', () => {
  const relations = Object.keys(VIEW_RULES) as Relation[];
  const row = fc.record({
    at: fc.nat(),
    from: fc.option(fc.constantFrom(...ERRAND_STATUSES), { nil: null }),
    to: fc.constantFrom(...ERRAND_STATUSES),
    actorRole: fc.constantFrom('resident' as const, 'helper' as const, 'staff' as const, 'system' as const),
    actorUserId: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    note: fc.option(
      fc.string({ minLength: 1 }).map((s) => `«${s}»`),
      { nil: null },
    ),
  });

  it("never shows a helper a staff note or another helper's note", () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 12 }),
        fc.constantFrom('assigned_helper' as const, 'offered_helper' as const),
        fc.integer({ min: 1, max: 5 }),
        (rows, relation, viewer) => {
          const seen = visibleTimeline(rows, relation, viewer);
          rows.forEach((r, i) => {
            const foreign = r.actorUserId !== viewer && (r.actorRole === 'staff' || r.actorRole === 'helper');
            if (foreign && r.note !== null) expect(seen[i]?.note ?? null).not.toBe(r.note);
          });
        },
      ),
    );
  });

  it('keeps the steps and their order for everyone who sees a timeline, and shows staff every note', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 12 }),
        fc.constantFrom(...relations),
        fc.integer({ min: 1, max: 5 }),
        (rows, relation, viewer) => {
          const seen = visibleTimeline(rows, relation, viewer);
          if (!VIEW_RULES[relation].timeline) return expect(seen).toEqual([]);
          expect(seen.map((t) => [t.from, t.to, t.actorRole])).toEqual(rows.map((t) => [t.from, t.to, t.actorRole]));
          if (relation === 'staff') expect(seen.map((t) => t.note)).toEqual(rows.map((t) => t.note));
        },
      ),
    );
  });

  it('tells a release from the other helper steps', () => {
    expect(noteSourceOf({ actorRole: 'helper', from: 'accepted', to: 'pending' })).toBe('helper_release');
    expect(noteSourceOf({ actorRole: 'helper', from: 'in_progress', to: 'delivered' })).toBe('helper');
    expect(noteSourceOf({ actorRole: 'resident', from: 'offered', to: 'cancelled' })).toBe('household');
  });
});
