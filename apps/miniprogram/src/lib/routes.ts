import Taro from '@tarojs/taro';
import { loadSession, saveSession, type StoredSession } from '../api/session';
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
  helperVisits: '/helper/pages/visits/index',
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

/** The role a page belongs to, by its package: helper/…, staff/…, or the residents' main package. */
export function roleOfPath(path: string): Role {
  const p = path.replace(/^\//, '');
  if (p.startsWith('helper/')) return 'helper';
  if (p.startsWith('staff/')) return 'staff';
  return 'resident';
}

/**
 * The home a page returns to: the start page of the role the person acts as (a helper who ordered
 * for a neighbour is on a residents' page, but their home is still their offers), else of the
 * role the page belongs to.
 */
export function homeOf(path: string): string {
  return startPageOf(loadSession()?.activeRole ?? roleOfPath(path));
}

/** Pages that are a role's home (or the login): no back/home bar there. */
export function isStartPage(path: string): boolean {
  const p = `/${path.replace(/^\//, '').split('?')[0]}`;
  return p === ROUTES.login || p === ROUTES.home || p === ROUTES.helperOffers || p === ROUTES.staffQueue;
}

/** How many pages are on the stack (0 when unknown). */
export function stackDepth(): number {
  try {
    return Taro.getCurrentPages().length;
  } catch {
    return 0;
  }
}

/** Act as `role` from now on, the whole stack replaced; remembered, so the next launch opens its start page. */
export function relaunchAs(role: Role): void {
  const session = loadSession();
  if (session && session.activeRole !== role) saveSession({ ...session, activeRole: role });
  void Taro.reLaunch({ url: startPageOf(role) });
}

/**
 * The helper's or staff member's own workspace when they last acted as one: WeChat opens the
 * residents' home at every launch, and a helper opening the app for their offers must not land on
 * a page asking for their address. null: act as a resident here.
 */
export function workspaceElsewhere(session: StoredSession | null): Role | null {
  if (!session || session.activeRole === 'resident') return null;
  return session.user.roles.includes(session.activeRole) ? session.activeRole : null;
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
