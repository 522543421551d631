// The demo district: 沈河区 with three street offices (街道) and five communities, as the district
// report names them. 河畔社区 (demo-data.ts) is the first and the one dev login uses; the others
// give street and district staff something to roll up. Coordinates are GCJ-02 around 41.78 N,
// 123.44 E; duty phones are in the shape of Shenyang landlines, not real offices' lines.
import type { HelperKind, LockdownStatus } from '@linli/contracts';
import { DEMO_COMMUNITY, DEMO_COMPOUNDS, DEMO_HELPERS, DEMO_RESIDENTS, DEMO_STAFF } from './demo-data';

export interface DemoPerson {
  openid: string;
  name: string;
  phone: string;
}
export interface DemoResident extends DemoPerson {
  /** Index over all buildings of the community, in the order listed. */
  building: number;
  unit: string;
  floor: number;
  room: string;
  elderlyAlone: boolean;
  disabled: boolean;
  postTreatment: boolean;
}
export interface DemoHelper extends DemoPerson {
  kind: HelperKind;
  canCarryHeavy: boolean;
  capacity: number;
  /** Building indexes; home is the first. */
  zone: readonly number[];
}
export interface DemoCommunity {
  name: string;
  street: string;
  dutyPhone: string;
  compounds: readonly {
    name: string;
    lockdown: LockdownStatus;
    buildings: readonly { name: string; floors: number; hasLift: boolean; lat: number; lng: number }[];
  }[];
  residents: readonly DemoResident[];
  helpers: readonly DemoHelper[];
  staff: readonly DemoPerson[];
}

export const DEMO_DISTRICT = { name: DEMO_COMMUNITY.district, streets: ['五里河街道', '皇城街道', '南塔街道'] } as const;

const resident = (
  openid: string,
  name: string,
  phone: string,
  building: number,
  room: string,
  flags: Partial<Pick<DemoResident, 'elderlyAlone' | 'disabled' | 'postTreatment'>> = {},
): DemoResident => ({
  openid,
  name,
  phone,
  building,
  unit: '1',
  floor: Number(room.slice(0, -2)),
  room,
  elderlyAlone: false,
  disabled: false,
  postTreatment: false,
  ...flags,
});
const helper = (openid: string, name: string, phone: string, kind: HelperKind, zone: number[], canCarryHeavy = true): DemoHelper => ({
  openid,
  name,
  phone,
  kind,
  canCarryHeavy,
  capacity: canCarryHeavy ? 3 : 2,
  zone,
});
const building = (name: string, floors: number, lat: number, lng: number) => ({ name, floors, hasLift: floors > 7, lat, lng });

/** Every community of the district, 河畔社区 first (the demo community dev login uses). */
export const DEMO_COMMUNITIES: readonly DemoCommunity[] = [
  {
    name: DEMO_COMMUNITY.name,
    street: DEMO_COMMUNITY.street,
    dutyPhone: DEMO_COMMUNITY.duty_phone,
    compounds: DEMO_COMPOUNDS,
    residents: DEMO_RESIDENTS,
    helpers: DEMO_HELPERS,
    staff: DEMO_STAFF,
  },
  {
    name: '盛华苑社区',
    street: '五里河街道',
    dutyPhone: '024-22851234',
    compounds: [
      {
        name: '盛华苑小区',
        lockdown: 'controlled',
        buildings: [
          building('1号楼', 6, 41.77052, 123.44083),
          building('2号楼', 6, 41.77078, 123.44146),
          building('3号楼', 11, 41.77104, 123.4421),
        ],
      },
      {
        name: '青年大街216号院',
        lockdown: 'normal',
        buildings: [building('A座', 24, 41.76955, 123.44321), building('B座', 24, 41.76981, 123.44385)],
      },
    ],
    residents: [
      resident('demo-resident-6', '马桂兰', '13611110006', 0, '501', { elderlyAlone: true }),
      resident('demo-resident-7', '高伟', '13611110007', 3, '1203'),
    ],
    helpers: [
      helper('demo-helper-7', '杨红军', '13807070707', 'household_head', [0, 1, 2]),
      helper('demo-helper-8', '林静', '13808080808', 'volunteer', [3, 4], false),
    ],
    staff: [{ openid: 'demo-staff-2', name: '周丽', phone: '13900002001' }],
  },
  {
    name: '正义社区',
    street: '皇城街道',
    dutyPhone: '024-24867320',
    compounds: [
      {
        name: '正义路小区',
        lockdown: 'closed',
        buildings: [
          building('1栋', 6, 41.79498, 123.45311),
          building('2栋', 6, 41.79524, 123.45374),
          building('3栋', 7, 41.79551, 123.45438),
        ],
      },
      {
        name: '怀远门公寓',
        lockdown: 'normal',
        buildings: [building('1号楼', 18, 41.79412, 123.45102), building('2号楼', 18, 41.79438, 123.45165)],
      },
    ],
    residents: [
      resident('demo-resident-8', '何淑珍', '13611110008', 1, '601', { elderlyAlone: true, disabled: true }),
      resident('demo-resident-9', '罗志明', '13611110009', 3, '902'),
    ],
    helpers: [
      helper('demo-helper-9', '黄建华', '13809090909', 'household_head', [0, 1, 2]),
      helper('demo-helper-10', '宋晓燕', '13810101010', 'volunteer', [3, 4], false),
    ],
    staff: [{ openid: 'demo-staff-3', name: '吴刚', phone: '13900003001' }],
  },
  {
    name: '萃苑社区',
    street: '南塔街道',
    dutyPhone: '024-24516688',
    compounds: [
      {
        name: '萃苑小区',
        lockdown: 'controlled',
        buildings: [
          building('1号楼', 6, 41.76682, 123.45915),
          building('2号楼', 6, 41.76708, 123.45979),
          building('3号楼', 6, 41.76735, 123.46042),
        ],
      },
      {
        name: '文化东路33号院',
        lockdown: 'normal',
        buildings: [building('1栋', 11, 41.76601, 123.45788), building('2栋', 11, 41.76627, 123.45851)],
      },
    ],
    residents: [
      resident('demo-resident-10', '韩玉梅', '13611110010', 2, '401', { elderlyAlone: true }),
      resident('demo-resident-11', '唐军', '13611110011', 4, '702'),
    ],
    helpers: [
      helper('demo-helper-11', '谢国庆', '13811111111', 'household_head', [0, 1, 2]),
      helper('demo-helper-12', '邓丽娟', '13812121212', 'household_head', [3, 4], false),
    ],
    staff: [{ openid: 'demo-staff-4', name: '郑红', phone: '13900004001' }],
  },
  {
    name: '荟萃社区',
    street: '南塔街道',
    dutyPhone: '024-24519023',
    compounds: [
      {
        name: '荟萃园',
        lockdown: 'normal',
        buildings: [
          building('A栋', 7, 41.76321, 123.46548),
          building('B栋', 7, 41.76347, 123.46611),
          building('C栋', 18, 41.76374, 123.46675),
        ],
      },
      {
        name: '南塔街小区',
        lockdown: 'closed',
        buildings: [building('1号楼', 6, 41.76225, 123.46402), building('2号楼', 6, 41.76251, 123.46466)],
      },
    ],
    residents: [
      resident('demo-resident-12', '曹秀英', '13611110012', 3, '302', { postTreatment: true }),
      resident('demo-resident-13', '许鹏', '13611110013', 2, '1501'),
    ],
    helpers: [
      helper('demo-helper-13', '彭志强', '13813131313', 'household_head', [0, 1, 2]),
      helper('demo-helper-14', '蒋雪梅', '13814141414', 'volunteer', [3, 4], false),
    ],
    staff: [{ openid: 'demo-staff-5', name: '孙伟', phone: '13900005001' }],
  },
];

/** Street and district staff: 五里河街道 (河畔社区, 盛华苑社区) and all of 沈河区. */
export const DEMO_OVERSEERS = [
  { openid: 'demo-street-1', name: '刘芳', phone: '13900006001', level: 'street', street: '五里河街道' },
  { openid: 'demo-district-1', name: '陈志刚', phone: '13900007001', level: 'district', street: null },
] as const;
