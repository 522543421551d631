import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { SubscribeTemplates } from '@linli/contracts';
import { api } from '../api/client';
import { inWechat } from '../platform';

/**
 * WeChat subscribe-message consent. The BFF may only send a message a person agreed to, one
 * message per consent, and WeChat only shows its consent dialog when it is asked from inside a
 * tap: no await may come before `askConsent` in a tap handler. So the template ids are loaded
 * early (app start, and again on the pages that ask, in case that first load failed) and
 * `askConsent` itself starts the request synchronously.
 */
export type ConsentKind = 'resident-errand' | 'helper-duty';

const WANTED: Record<ConsentKind, (keyof SubscribeTemplates)[]> = {
  // A resident hears when a neighbour took the errand and when it is at the door.
  'resident-errand': ['errandAccepted', 'errandDelivered'],
  // A helper hears of a new offer while the app is in the background (its socket is dead then).
  'helper-duty': ['offerCreated'],
};

/** WeChat takes at most 3 templates per request. */
const MAX_PER_REQUEST = 3;

/**
 * How long a tap waits for the dialog's answer before its action goes ahead anyway: the answer
 * normally comes when the person taps 允许 or 取消, but an action must never hang on a dialog.
 */
export const CONSENT_WAIT_MS = 10_000;

let templates: SubscribeTemplates | null = null;
let loading: Promise<SubscribeTemplates | null> | null = null;

/** Loads the template ids once per app run; a failed load is forgotten so a later page retries. */
export function loadTemplates(): Promise<SubscribeTemplates | null> {
  if (!inWechat()) return Promise.resolve(null);
  if (templates) return Promise.resolve(templates);
  loading ??= api.authOptions().then(
    (options) => (templates = options.subscribeTemplates),
    () => {
      loading = null;
      return null;
    },
  );
  return loading;
}

/** The ids `askConsent(kind)` would ask for right now: none on h5, before the load, or for nulls. */
export function templateIdsFor(kind: ConsentKind): string[] {
  if (!inWechat() || !templates) return [];
  const known = templates;
  const ids = WANTED[kind].map((key) => known[key]).filter((id): id is string => typeof id === 'string' && id.length > 0);
  return [...new Set(ids)].slice(0, MAX_PER_REQUEST);
}

/**
 * Asks WeChat for consent to `kind`'s messages; call it first thing in a tap handler. Resolves
 * with the ids the person accepted. Never rejects: refusal, 'ban', 'filter', a switched-off main
 * switch, an old base library without the API, templates not loaded yet, or no answer within
 * CONSENT_WAIT_MS all simply mean no consent, and the tap's own action goes on.
 */
export function askConsent(kind: ConsentKind): Promise<string[]> {
  const tmplIds = templateIdsFor(kind);
  if (tmplIds.length === 0 || typeof Taro.requestSubscribeMessage !== 'function') return Promise.resolve([]);
  let asked: Promise<unknown>;
  try {
    // The option type wants Alipay's entityIds as well; WeChat reads only tmplIds.
    asked = Promise.resolve(Taro.requestSubscribeMessage({ tmplIds } as Taro.requestSubscribeMessage.Option));
  } catch {
    return Promise.resolve([]);
  }
  const answered = asked.then(
    // One key per template id: 'accept', 'reject', 'ban' or 'filter'.
    (result) => tmplIds.filter((id) => typeof result === 'object' && result !== null && Reflect.get(result, id) === 'accept'),
    () => [],
  );
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve([]), CONSENT_WAIT_MS);
    void answered.then((accepted) => {
      clearTimeout(timer);
      resolve(accepted);
    });
  });
}

/**
 * Loads the templates when a page that asks mounts; true once asking `kind` would show WeChat's
 * dialog (in WeChat, with at least one template configured), so a page can explain it.
 */
export function useConsent(kind: ConsentKind): boolean {
  const [ready, setReady] = useState(() => templateIdsFor(kind).length > 0);
  useEffect(() => {
    let mounted = true;
    void loadTemplates().then(() => {
      if (mounted) setReady(templateIdsFor(kind).length > 0);
    });
    return () => {
      mounted = false;
    };
  }, [kind]);
  return ready;
}

/** For tests: forget the loaded templates, as a fresh app run would. */
export function resetSubscribeTemplates(): void {
  templates = null;
  loading = null;
}
