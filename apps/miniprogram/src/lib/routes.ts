import Taro from '@tarojs/taro';
import type { Role } from '@linli/contracts';

/** Every page path in one place; helper and staff pages live in their own subpackages. */
export const ROUTES = {
  login: '/pages/login/index',
  home: '/pages/home/index',
  errandForm: '/pages/errand-form/index',
  errands: '/pages/errands/index',
  errand: '/pages/errand/index',
  household: '/pages/household/index',
  helperOffers: '/helper/pages/offers/index',
  helperTasks: '/helper/pages/tasks/index',
  helperTask: '/helper/pages/task/index',
  helperNeighbour: '/helper/pages/neighbour/index',
  helperRecord: '/helper/pages/record/index',
  staffQueue: '/staff/pages/queue/index',
  staffAssign: '/staff/pages/assign/index',
  staffHelpers: '/staff/pages/helpers/index',
  staffCompounds: '/staff/pages/compounds/index',
} as const;

export function go(path: string, params?: Record<string, string>): void {
  const qs = params ? `?${new URLSearchParamsLite(params)}` : '';
  void Taro.navigateTo({ url: path + qs });
}

export function replaceWith(path: string, params?: Record<string, string>): void {
  const qs = params ? `?${new URLSearchParamsLite(params)}` : '';
  void Taro.redirectTo({ url: path + qs });
}

/** Each role's own start page, the whole stack replaced (after login or a role switch). */
export function startPageOf(role: Role): string {
  if (role === 'helper') return ROUTES.helperOffers;
  if (role === 'staff') return ROUTES.staffQueue;
  return ROUTES.home;
}

export function relaunchAs(role: Role): void {
  void Taro.reLaunch({ url: startPageOf(role) });
}

/** WeChat's JS engine has no URLSearchParams: a minimal encoder for our flat params. */
class URLSearchParamsLite {
  constructor(private readonly params: Record<string, string>) {}
  toString(): string {
    return Object.entries(this.params)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
  }
}
