import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Me } from '@linli/contracts';
import { accessFor, type Access } from './access';
import { logout as logoutCall } from './api/auth';
import { clearSession, loadSession, saveSession, type Session } from './api/session';
import { live } from './live';

interface SessionState {
  me: Me | null;
  access: Access | null;
  signedIn(session: Session): void;
  signOut(): Promise<void>;
  /** A 401 somewhere: the session is gone, back to the login page. */
  expired(): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children, initial = loadSession() }: { children: ReactNode; initial?: Session | null }) {
  const [me, setMe] = useState<Me | null>(initial?.user ?? null);
  const signedIn = useCallback((session: Session) => {
    saveSession(session);
    setMe(session.user);
    live.sessionChanged();
  }, []);
  const expired = useCallback(() => {
    clearSession();
    setMe(null);
    live.sessionChanged();
  }, []);
  const signOut = useCallback(async () => {
    await logoutCall().catch(() => undefined); // leaving works even when the server cannot be reached
    expired();
  }, [expired]);
  const value = useMemo(() => ({ me, access: me ? accessFor(me) : null, signedIn, signOut, expired }), [me, signedIn, signOut, expired]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
