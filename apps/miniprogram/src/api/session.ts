import Taro from '@tarojs/taro';
import type { Me, Role } from '@linli/contracts';

/**
 * The session as kept on the device: our own opaque token (never WeChat's session_key), the
 * user as last seen, and the role the person chose to act as (a helper is also a resident).
 */
export interface StoredSession {
  token: string;
  expiresAt: string;
  user: Me;
  activeRole: Role;
}

const KEY = 'linli.session';

export function loadSession(): StoredSession | null {
  try {
    const value: unknown = Taro.getStorageSync(KEY);
    if (value && typeof value === 'object' && 'token' in value) return value as StoredSession;
  } catch {
    // Storage unreadable (private mode, quota): treat as logged out.
  }
  return null;
}

export function saveSession(session: StoredSession): void {
  Taro.setStorageSync(KEY, session);
}

export function updateSessionUser(user: Me): void {
  const current = loadSession();
  if (current) saveSession({ ...current, user });
}

export function clearSession(): void {
  Taro.removeStorageSync(KEY);
}

/** The role to act as right after login: staff and helpers land on their own work first. */
export function primaryRole(user: Me, requested?: Role): Role {
  if (requested && user.roles.includes(requested)) return requested;
  if (user.roles.includes('staff')) return 'staff';
  if (user.roles.includes('helper')) return 'helper';
  return 'resident';
}
