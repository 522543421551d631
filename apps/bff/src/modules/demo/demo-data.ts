// The demo community: 河畔社区 of 五里河街道, 沈河区, Shenyang — the place the product grows
// from. Coordinates are GCJ-02 around the Wulihe riverside.

// The duty phone is a Shenyang landline (area code 024, eight digits) in the shape of the
// community offices' published numbers; it is demo data, not a real office's line.
export const DEMO_COMMUNITY = { name: '河畔社区', street: '五里河街道', district: '沈河区', duty_phone: '024-24123560' };

export const DEMO_COMPOUNDS = [
  {
    name: '河畔花园',
    lockdown: 'closed',
    buildings: [
      { name: '1号楼', floors: 6, hasLift: false, lat: 41.77412, lng: 123.43105 },
      { name: '2号楼', floors: 6, hasLift: false, lat: 41.77438, lng: 123.43168 },
      { name: '3号楼', floors: 7, hasLift: false, lat: 41.77465, lng: 123.43231 },
      { name: '4号楼', floors: 18, hasLift: true, lat: 41.77491, lng: 123.43112 },
    ],
  },
  {
    name: '五里河畔小区',
    lockdown: 'controlled',
    buildings: [
      { name: '5栋', floors: 11, hasLift: true, lat: 41.77588, lng: 123.43402 },
      { name: '6栋', floors: 11, hasLift: true, lat: 41.77612, lng: 123.43466 },
      { name: '7栋', floors: 6, hasLift: false, lat: 41.77637, lng: 123.43529 },
      { name: '8栋', floors: 6, hasLift: false, lat: 41.77661, lng: 123.43593 },
    ],
  },
  {
    name: '青年大街108号院',
    lockdown: 'normal',
    buildings: [
      { name: 'A座', floors: 24, hasLift: true, lat: 41.77803, lng: 123.43012 },
      { name: 'B座', floors: 24, hasLift: true, lat: 41.77829, lng: 123.43076 },
      { name: 'C座', floors: 5, hasLift: false, lat: 41.77855, lng: 123.43139 },
    ],
  },
] as const;

/** Residents: building index (0-based over all buildings above), and the household flags. */
export const DEMO_RESIDENTS = [
  {
    openid: 'demo-resident-1',
    name: '王秀兰',
    phone: '13812341234',
    building: 0,
    unit: '2',
    floor: 6,
    room: '602',
    elderlyAlone: true,
    disabled: false,
    postTreatment: false,
  },
  {
    openid: 'demo-resident-2',
    name: '刘建国',
    phone: '13912345678',
    building: 2,
    unit: '1',
    floor: 5,
    room: '501',
    elderlyAlone: false,
    disabled: false,
    postTreatment: true,
  },
  {
    openid: 'demo-resident-3',
    name: '陈淑芬',
    phone: '13698765432',
    building: 4,
    unit: '3',
    floor: 9,
    room: '903',
    elderlyAlone: true,
    disabled: true,
    postTreatment: false,
  },
  {
    openid: 'demo-resident-4',
    name: '赵磊',
    phone: '13587654321',
    building: 6,
    unit: '1',
    floor: 4,
    room: '402',
    elderlyAlone: false,
    disabled: false,
    postTreatment: false,
  },
  {
    openid: 'demo-resident-5',
    name: '孙丽',
    phone: '13723456789',
    building: 10,
    unit: '1',
    floor: 3,
    room: '301',
    elderlyAlone: false,
    disabled: false,
    postTreatment: false,
  },
] as const;

/** Helpers: their zone as building indexes; home is the first building of their zone. */
export const DEMO_HELPERS = [
  { openid: 'demo-helper-1', name: '李卫东', phone: '13801010101', kind: 'household_head', canCarryHeavy: true, capacity: 3, zone: [0, 1] },
  {
    openid: 'demo-helper-2',
    name: '张桂芳',
    phone: '13802020202',
    kind: 'household_head',
    canCarryHeavy: false,
    capacity: 2,
    zone: [2, 3],
  },
  { openid: 'demo-helper-3', name: '周强', phone: '13803030303', kind: 'household_head', canCarryHeavy: true, capacity: 3, zone: [4, 5] },
  {
    openid: 'demo-helper-4',
    name: '吴海燕',
    phone: '13804040404',
    kind: 'household_head',
    canCarryHeavy: false,
    capacity: 2,
    zone: [6, 7],
  },
  { openid: 'demo-helper-5', name: '郑浩', phone: '13805050505', kind: 'volunteer', canCarryHeavy: true, capacity: 2, zone: [8, 9, 10] },
  { openid: 'demo-helper-6', name: '冯晓雪', phone: '13806060606', kind: 'volunteer', canCarryHeavy: false, capacity: 2, zone: [0, 2, 4] },
] as const;

export const DEMO_STAFF = [{ openid: 'demo-staff-1', name: '张敏', phone: '13900001111' }] as const;
