import { AuthOptions, LoginResponse, Me, Ok, type Role } from '@linli/contracts';
import { call } from './client';
import { clearSession, saveSession } from './session';

export const fetchAuthOptions = () => call('/auth/options', AuthOptions);
export const fetchMe = () => call('/me', Me);

export async function devLogin(openid: string, role: Role): Promise<LoginResponse> {
  const session = await call('/auth/dev', LoginResponse, { method: 'POST', body: { openid, role } });
  saveSession(session);
  return session;
}

export async function logout(): Promise<void> {
  try {
    await call('/auth/logout', Ok, { method: 'POST' });
  } finally {
    clearSession();
  }
}
