import {
  fillPath,
  routes,
  successSchema,
  type ApiRoute,
  type ErrandCategory,
  type ErrandItem,
  type Role,
  type RouteResult,
} from '@linli/contracts';

/**
 * A day of the demo district, made through the BFF's own routes as residents, helpers and staff
 * would make it (the seed has people and places but no errands): residents ask, helpers accept,
 * pick up and deliver, residents confirm and thank; some errands stay open, some in hand. The
 * desk pages then show real lists, roll-ups and figures instead of empty tables.
 */

type Fate = 'open' | 'accepted' | 'in_progress' | 'delivered' | 'completed';
interface Ask {
  resident: string;
  category: ErrandCategory;
  items: ErrandItem[];
  urgent?: boolean;
  fate: Fate;
  thanks?: { stars: number; comment?: string };
}

const x = (name: string, quantity: number, unit?: string): ErrandItem => ({ name, quantity, ...(unit ? { unit } : {}) });
const ask = (resident: number, category: ErrandCategory, items: ErrandItem[], fate: Fate, more: Partial<Ask> = {}): Ask => ({
  resident: `demo-resident-${resident}`,
  category,
  items,
  fate,
  ...more,
});
const helpers = (...n: number[]) => n.map((i) => `demo-helper-${i}`);

/** Per community of the demo district (apps/bff/src/modules/demo/demo-district.ts): its helpers and its day. */
const DAY: { helpers: string[]; asks: Ask[] }[] = [
  {
    // 河畔社区, the community the desk works for: finished errands first, then some in hand, then open ones.
    helpers: helpers(1, 2, 3, 4, 5, 6),
    asks: [
      ask(1, 'water', [x('桶装水 18.9L', 2, '桶')], 'completed', { thanks: { stars: 5, comment: '送得很及时，谢谢！' } }),
      ask(2, 'vegetables', [x('青菜', 2, '斤'), x('西红柿', 1, '斤')], 'completed', { thanks: { stars: 5 } }),
      ask(3, 'medicine', [x('硝苯地平缓释片', 2, '盒')], 'completed', { urgent: true, thanks: { stars: 5, comment: '药拿到了' } }),
      ask(4, 'parcel', [x('快递包裹', 1, '件')], 'completed', { thanks: { stars: 4 } }),
      ask(5, 'grain_oil', [x('大米 10kg', 1, '袋'), x('豆油 5L', 1, '桶')], 'completed', { thanks: { stars: 5 } }),
      ask(1, 'medicine', [x('降压药', 1, '盒')], 'completed', { urgent: true, thanks: { stars: 5, comment: '谢谢党员同志' } }),
      ask(2, 'water', [x('桶装水 18.9L', 1, '桶')], 'completed'),
      ask(3, 'vegetables', [x('土豆', 3, '个'), x('鸡蛋', 1, '盒')], 'delivered'),
      ask(4, 'grain_oil', [x('面粉 5kg', 1, '袋')], 'in_progress'),
      ask(5, 'other', [x('更换灯泡', 1, '个')], 'accepted'),
      ask(1, 'vegetables', [x('白菜', 1, '棵'), x('豆腐', 2, '块')], 'open'),
      ask(3, 'parcel', [x('快递', 2, '件')], 'open'),
      ask(2, 'medicine', [x('胰岛素笔芯', 1, '盒')], 'open', { urgent: true }),
    ],
  },
  {
    // 盛华苑社区 (五里河街道)
    helpers: helpers(7, 8),
    asks: [
      ask(6, 'medicine', [x('感冒灵颗粒', 1, '盒')], 'completed', { thanks: { stars: 5 } }),
      ask(7, 'water', [x('桶装水 18.9L', 2, '桶')], 'accepted'),
      ask(6, 'vegetables', [x('黄瓜', 2, '根')], 'open'),
    ],
  },
  {
    // 正义社区 (皇城街道)
    helpers: helpers(9, 10),
    asks: [
      ask(8, 'grain_oil', [x('大米 5kg', 1, '袋')], 'completed', { thanks: { stars: 5 } }),
      ask(9, 'vegetables', [x('芹菜', 1, '把')], 'open'),
      ask(8, 'medicine', [x('速效救心丸', 1, '瓶')], 'open', { urgent: true }),
    ],
  },
  {
    // 萃苑社区 (南塔街道)
    helpers: helpers(11, 12),
    asks: [
      ask(10, 'water', [x('桶装水 18.9L', 1, '桶')], 'completed', { thanks: { stars: 4 } }),
      ask(11, 'parcel', [x('快递包裹', 1, '件')], 'in_progress'),
    ],
  },
  {
    // 荟萃社区 (南塔街道)
    helpers: helpers(13, 14),
    asks: [
      ask(12, 'medicine', [x('阿莫西林', 1, '盒')], 'completed', { thanks: { stars: 5 } }),
      ask(13, 'vegetables', [x('茄子', 2, '个')], 'accepted'),
      ask(12, 'other', [x('代缴水电费', 1, '次')], 'open'),
    ],
  },
];

/** 包保: who cares for whom in 河畔社区, every how many days, and whether the first visit is made. */
const CARE = [
  { household: '王秀兰', helper: { name: '李卫东', openid: 'demo-helper-1' }, cadenceDays: 2, visit: true },
  { household: '陈淑芬', helper: { name: '周强', openid: 'demo-helper-3' }, cadenceDays: 3, visit: true },
  { household: '刘建国', helper: { name: '张桂芳', openid: 'demo-helper-2' }, cadenceDays: 7, visit: false },
];

const STEPS: Fate[] = ['accepted', 'in_progress', 'delivered', 'completed'];
const reached = (fate: Fate, step: Fate) => STEPS.indexOf(fate) >= STEPS.indexOf(step);

interface CallInput {
  token?: string;
  params?: Record<string, string | number>;
  query?: Record<string, string | number>;
  body?: unknown;
  headers?: Record<string, string>;
}

export class DemoApi {
  private readonly tokens = new Map<string, string>();
  private made = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly onWait: (what: string) => void = () => undefined,
  ) {}

  /** One route of the contracts' table, its answer parsed with the route's schema. */
  async call<R extends ApiRoute>(route: R, input: CallInput = {}): Promise<RouteResult<R>> {
    const url = new URL(fillPath(route.path, input.params), this.baseUrl);
    for (const [k, v] of Object.entries(input.query ?? {})) url.searchParams.set(k, String(v));
    const send = () =>
      fetch(url, {
        method: route.method,
        headers: {
          ...(input.token && { authorization: `Bearer ${input.token}` }),
          ...(route.method !== 'GET' && { 'content-type': 'application/json' }),
          ...input.headers,
        },
        body: route.method === 'GET' ? undefined : JSON.stringify(input.body ?? {}),
      });
    let response = await send();
    // The demo's own limits (20 logins a minute from one address) hold a whole day's cast back
    // for a while; the test BFFs raise them. Requests here are safe to repeat (idempotency keys).
    for (let waited = 0; response.status === 429 && waited < 3; waited++) {
      const seconds = Number(response.headers.get('retry-after')) || 10;
      this.onWait(`${route.method} ${url.pathname}: rate-limited, trying again in ${seconds} s`);
      await new Promise((r) => setTimeout(r, seconds * 1000));
      response = await send();
    }
    const data: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw new Error(`${route.method} ${url.pathname} answered ${response.status}: ${JSON.stringify(data)}`);
    return successSchema(route).parse(data) as RouteResult<R>;
  }

  /** Dev login, once per person. */
  async login(openid: string, role: Role): Promise<string> {
    const known = this.tokens.get(openid);
    if (known) return known;
    const { token } = await this.call(routes.loginDev, { body: { openid, role } });
    this.tokens.set(openid, token);
    return token;
  }

  /** The helper of `candidates` the dispatcher offered the errand to and who takes it. */
  private async acceptedBy(errandId: string, candidates: string[]): Promise<string> {
    for (const openid of candidates) {
      const token = await this.login(openid, 'helper');
      const offers = await this.call(routes.offers, { token });
      if (!offers.items.some((o) => o.errandId === errandId)) continue;
      try {
        await this.call(routes.acceptErrand, { token, params: { id: errandId } });
        return token;
      } catch {
        // At capacity, or another helper was quicker: the next one offered takes it.
      }
    }
    throw new Error(`errand ${errandId} was offered to none of ${candidates.join(', ')} who could take it`);
  }

  private async play(a: Ask, candidates: string[]): Promise<void> {
    const resident = await this.login(a.resident, 'resident');
    const errand = await this.call(routes.createErrand, {
      token: resident,
      headers: { 'idempotency-key': `demo-day-${process.pid}-${++this.made}` },
      body: { category: a.category, items: a.items, urgency: a.urgent ? 'urgent' : 'normal' },
    });
    if (a.fate === 'open') return;
    const helper = await this.acceptedBy(errand.id, candidates);
    const id = { id: errand.id };
    if (reached(a.fate, 'in_progress')) await this.call(routes.pickupErrand, { token: helper, params: id });
    if (reached(a.fate, 'delivered')) {
      await this.call(routes.deliverErrand, { token: helper, params: id, body: { handoverCode: errand.handoverCode } });
    }
    if (reached(a.fate, 'completed')) {
      await this.call(routes.confirmErrand, { token: resident, params: id });
      if (a.thanks) await this.call(routes.rateErrand, { token: resident, params: id, body: a.thanks });
    }
  }

  /** 包保 assignments made by the desk, and the first visits the helpers record. */
  private async care(): Promise<void> {
    const staff = await this.login('demo-staff-1', 'staff');
    const roster = await this.call(routes.staffHelpers, { token: staff });
    for (const c of CARE) {
      const [household] = (await this.call(routes.searchHouseholds, { token: staff, query: { q: c.household } })).items;
      const helper = roster.items.find((h) => h.name === c.helper.name);
      if (!household || !helper) throw new Error(`no household ${c.household} or helper ${c.helper.name} in the demo`);
      await this.call(routes.assignCare, {
        token: staff,
        params: { id: household.id },
        body: { helperId: helper.id, cadenceDays: c.cadenceDays },
      });
      if (!c.visit) continue;
      // The first visit falls due at once; the recurrence job (every second) puts it on the helper's list.
      const token = await this.login(c.helper.openid, 'helper');
      const end = Date.now() + 15_000;
      for (;;) {
        const due = (await this.call(routes.visits, { token })).items.find((v) => v.householdId === household.id && v.status === 'pending');
        if (due) {
          await this.call(routes.recordVisit, { token, params: { id: due.id }, body: { outcome: 'safe', note: '身体挺好，家里不缺东西' } });
          break;
        }
        if (Date.now() > end) throw new Error(`no visit to ${c.household} on ${c.helper.name}'s list after 15 s`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }

  /** Plays the whole day; returns how many errands were made. */
  async playDay(): Promise<number> {
    for (const community of DAY) for (const a of community.asks) await this.play(a, community.helpers);
    await this.care();
    return this.made;
  }
}
