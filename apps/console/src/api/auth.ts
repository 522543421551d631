import { routes, type LoginResponse, type Role } from '@linli/contracts';
import { callRoute } from './client';
import { clearSession, saveSession } from './session';

export const fetchAuthOptions = () => callRoute(routes.authOptions);
export const fetchMe = () => callRoute(routes.me);

export async function devLogin(openid: string, role: Role): Promise<LoginResponse> {
  const session = await callRoute(routes.loginDev, { body: { openid, role } });
  saveSession(session);
  return session;
}

export async function logout(): Promise<void> {
  try {
    await callRoute(routes.logout);
  } finally {
    clearSession();
  }
}
