// No runtime import of @linli/contracts: tsx loads it as CommonJS here and loses its re-exports.
const ERRAND_STATUSES = ['pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed', 'cancelled', 'escalated'];

function queueEntry(n: number, over: Record<string, unknown>) {
  const created = new Date(Date.now() - n * 600_000).toISOString();
  return {
    id: `E${String(n).padStart(6, '0')}`,
    status: 'pending',
    category: 'grain_oil',
    items: [{ name: '大米', quantity: 1, unit: '袋' }],
    itemCount: 1,
    heavy: false,
    urgency: 'normal',
    window: null,
    notes: null,
    onBehalf: false,
    vulnerable: false,
    place: { communityId: 1, compoundName: '河畔花园', compoundLockdown: 'normal', buildingName: '3号楼', floor: 6, hasLift: false },
    helper: null,
    rating: null,
    viewerRole: 'staff',
    createdAt: created,
    updatedAt: created,
    dutyPhone: null,
    priority: 10,
    ageSeconds: n * 600,
    ...over,
  };
}

// Realistic answers for the screenshots, shaped like the contracts (the component tests check the same shapes).
const hour = 3_600_000;
const names = ['王秀兰', '李桂英', '张德明', '刘淑芬', '陈国强', '杨玉珍', '赵福生', '黄美华', '周建华', '吴淑珍'];
const helpers = ['李建国', '王芳', '赵强', '孙丽', '钱伟'];
const counts = (created: number) => ({
  created,
  delivered: Math.round(created * 0.9),
  deliveredWithinTier: Math.round(created * 0.82),
  withinTierShare: 0.82 / 0.9,
  completed: Math.round(created * 0.85),
  cancelled: Math.round(created * 0.03),
  escalated: Math.round(created * 0.02),
});
const latency = (i: number) => ({
  acceptP50Ms: (4 + (i % 3)) * 60_000,
  acceptP90Ms: (12 + (i % 5)) * 60_000,
  deliverP50Ms: (35 + (i % 7)) * 60_000,
  deliverP90Ms: (80 + (i % 11)) * 60_000,
});
const days = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 10, 1 + i)).toISOString().slice(0, 10));
const compounds = [
  {
    id: 1,
    name: '河畔花园',
    lockdown: 'normal',
    buildings: Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: `${i + 1}号楼`, floors: 6, hasLift: false })),
  },
  {
    id: 2,
    name: '东苑',
    lockdown: 'controlled',
    buildings: Array.from({ length: 6 }, (_, i) => ({ id: 20 + i, name: `东${i + 1}栋`, floors: 18, hasLift: true })),
  },
  {
    id: 3,
    name: '西苑新村',
    lockdown: 'closed',
    buildings: Array.from({ length: 8 }, (_, i) => ({ id: 40 + i, name: `西${i + 1}栋`, floors: 7, hasLift: false })),
  },
];
const open = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    queueEntry(i + 1, {
      status: ['pending', 'offered', 'accepted', 'in_progress', 'escalated'][i % 5],
      category: ['water', 'grain_oil', 'vegetables', 'medicine', 'parcel'][i % 5],
      badges: i % 4 === 0 ? ['vulnerable'] : i % 7 === 0 ? ['urgent', 'escalated'] : [],
      sla: {
        tier: ['red', 'yellow', 'blue'][i % 3],
        dueAt: new Date(Date.now() + hour).toISOString(),
        secondsLeft: 3600,
        overdue: false,
        dueSoon: false,
      },
      resident: {
        name: names[i % names.length],
        door: `${(i % 12) + 1}-${(i % 3) + 1}-${(i % 6) + 1}0${(i % 2) + 1}`,
        phone: '13800000000',
      },
    }),
  );
const byStatus = (o: number) => ({
  ...Object.fromEntries(ERRAND_STATUSES.map((s) => [s, 0])),
  pending: Math.ceil(o / 2),
  accepted: Math.floor(o / 4),
  escalated: o % 3,
});

export const SCREENSHOT_ANSWERS: Record<string, unknown> = {
  '/staff/care': {
    items: Array.from({ length: 30 }, (_, i) => ({
      householdId: i + 1,
      communityId: 1,
      helperId: (i % 5) + 1,
      helperName: helpers[i % 5],
      cadenceDays: [1, 3, 7][i % 3],
      place: `河畔花园 ${(i % 12) + 1}号楼${(i % 3) + 1}单元${(i % 6) + 1}0${(i % 2) + 1}`,
      contactName: names[i % names.length],
      nextVisitDueAt: new Date(Date.now() + ((i % 5) - 1) * 12 * hour).toISOString(),
      lastVisitAt: new Date(Date.now() - ((i % 4) + 1) * 24 * hour).toISOString(),
      lastOutcome: i % 9 === 0 ? 'needs_help' : 'safe',
      overdue: i % 5 === 0,
    })),
    nextCursor: 'next',
    counts: { all: 312, due_today: 41, overdue: 9 },
  },
  '/staff/households': {
    items: Array.from({ length: 30 }, (_, i) => {
      const building = Math.floor(i / 6) + 1;
      const [unit, room] = [String((i % 2) + 1), `${(i % 6) + 1}0${(i % 2) + 1}`];
      return {
        id: i + 1,
        communityId: 1,
        communityName: '河畔社区',
        place: `${building}号楼${unit}单元${room}室`,
        compoundId: 1,
        compoundName: '河畔花园',
        buildingId: building,
        buildingName: `${building}号楼`,
        unit,
        room,
        floor: (i % 6) + 1,
        contactName: names[i % names.length],
        phone: `1380000${String(1000 + i * 37)}`,
        registered: i % 3 !== 2,
        careHelperName: i % 4 === 0 ? helpers[i % 5] : null,
        cadenceDays: i % 4 === 0 ? [1, 3, 7][i % 3] : null,
        openErrands: i % 7 === 0 ? 1 : 0,
        elderlyAlone: i % 4 === 0,
        disabled: i % 9 === 0,
        postTreatment: false,
        chronicMedication: i % 5 === 0,
        infants: i % 11 === 3,
        pregnancy: false,
      };
    }),
    nextCursor: 'next',
    total: 2148,
  },
  '/staff/helpers': {
    items: Array.from({ length: 18 }, (_, i) => ({
      id: i + 1,
      userId: 100 + i,
      name: [...helpers, '周敏', '郑涛', '冯静', '陈磊', '褚红', '卫东', '蒋平', '沈洁', '韩梅', '杨帆', '朱琳', '秦刚', '尤佳'][i],
      phone: `1390000${String(1000 + i)}`,
      kind: i % 4 === 3 ? 'volunteer' : 'household_head',
      verified: i % 6 !== 5,
      onDuty: i % 3 !== 2,
      capacity: 3,
      canCarryHeavy: i % 2 === 0,
      activeTasks: i % 4,
      rating: 4.5 + (i % 5) / 10,
    })),
  },
  '/communities/1/compounds': { items: compounds },
  '/staff/errands': {
    items: open(14),
    nextCursor: null,
    counts: { byStatus: byStatus(14), byTier: { red: 5, yellow: 5, blue: 4 }, total: 14, exact: true },
  },
  '/staff/stats': {
    from: days[0],
    to: days[29],
    granularity: 'day',
    communityIds: [1],
    totals: { ...counts(1260), ...latency(0), activeHelpers: 46, householdsServed: 702, vulnerableHouseholdsServed: 188 },
    series: days.map((period, i) => ({ period, ...counts(30 + ((i * 7) % 23)), ...latency(i) })),
    byCategory: (['water', 'grain_oil', 'vegetables', 'medicine', 'parcel', 'other'] as const).map((category, i) => ({
      category,
      ...counts(400 - i * 60),
    })),
    byCompound: compounds.map((c, i) => ({ compoundId: c.id, compoundName: c.name, communityId: 1, ...counts(600 - i * 170) })),
    topHelpers: [],
  },
  '/oversight/communities': {
    items: ['河畔社区', '东苑社区', '西湖社区', '新桥社区', '光明社区', '幸福里社区'].map((name, i) => ({
      id: i + 1,
      name,
      streetId: i < 3 ? 1 : 2,
      streetName: i < 3 ? '花桥街道' : '江滨街道',
      openByStatus: byStatus(10 + i * 4),
      open: 10 + i * 4,
      escalated: i % 3,
      helpersOnDuty: 6 + i,
      compounds: { total: 4 + i, controlled: i % 2, closed: i === 4 ? 1 : 0 },
    })),
  },
  '/oversight/scope': {
    level: 'street',
    readOnly: true,
    communityIds: [1, 2, 3],
    districts: [
      {
        id: 1,
        name: '江岸区',
        streets: [
          {
            id: 1,
            name: '花桥街道',
            communities: [
              { id: 1, name: '河畔社区' },
              { id: 2, name: '东苑社区' },
              { id: 3, name: '西湖社区' },
            ],
          },
        ],
      },
    ],
  },
};
