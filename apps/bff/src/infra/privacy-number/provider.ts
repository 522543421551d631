import { createHmac } from 'node:crypto';

/**
 * A privacy-number (隐私号) provider with AXB bindings: party A and party B each dial the middle
 * number X and reach the other, and nobody sees the other's real number. One binding per errand.
 */
export interface PrivacyNumberProvider {
  bind(request: {
    errandId: number;
    partyA: string;
    partyB: string;
    expiresAt: number;
  }): Promise<{ middleNumber: string; bindingId: string }>;
  /** Ends a binding; a binding the provider no longer knows counts as ended. */
  unbind(bindingId: string): Promise<void>;
}

export interface PrivacyNumberConfig {
  baseUrl: string | null;
  appKey: string | null;
  appSecret: string | null;
  timeoutMs: number;
}

class PrivacyNumberError extends Error {
  override name = 'PrivacyNumberError';
}

/** The signature both sides compute: hex HMAC-SHA256 of `<timestamp>\n<body>` with the app secret. */
export function signRequest(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${body}`).digest('hex');
}

/**
 * An AXB provider over HTTP. The shape assumed (modelled on the common carriers' and clouds' AXB
 * APIs; adapt this class, not its callers, to a real contract):
 *
 *   POST {baseUrl}/axb/bind     {"telA","telB","expiration": epoch seconds,"outId": errand id}
 *        → 200 {"code":0,"bindId":"…","middleNumber":"1701234…"}; any other code is a failure
 *   POST {baseUrl}/axb/unbind   {"bindId"}
 *        → 200 {"code":0}; code "NOT_FOUND" (already expired or unbound) also counts as unbound
 *
 * Every request carries `x-app-key`, `x-timestamp` (epoch ms) and `x-signature` (signRequest).
 */
class HttpPrivacyNumberProvider implements PrivacyNumberProvider {
  constructor(private readonly config: PrivacyNumberConfig & { baseUrl: string; appKey: string; appSecret: string }) {}

  async bind({ errandId, partyA, partyB, expiresAt }: Parameters<PrivacyNumberProvider['bind']>[0]) {
    const reply = await this.post('/axb/bind', {
      telA: partyA,
      telB: partyB,
      expiration: Math.floor(expiresAt / 1000),
      outId: String(errandId),
    });
    if (reply.code !== 0 || typeof reply.bindId !== 'string' || typeof reply.middleNumber !== 'string') {
      throw new PrivacyNumberError(`bind refused: code ${String(reply.code)}`);
    }
    return { bindingId: reply.bindId, middleNumber: reply.middleNumber };
  }

  async unbind(bindingId: string): Promise<void> {
    const reply = await this.post('/axb/unbind', { bindId: bindingId });
    if (reply.code !== 0 && reply.code !== 'NOT_FOUND') throw new PrivacyNumberError(`unbind refused: code ${String(reply.code)}`);
  }

  private async post(path: string, payload: object): Promise<Record<string, unknown>> {
    const body = JSON.stringify(payload);
    const timestamp = String(Date.now());
    // The base URL may carry a path prefix (https://host/api/v2), so the path is appended, not resolved.
    const res = await fetch(`${this.config.baseUrl.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-app-key': this.config.appKey,
        'x-timestamp': timestamp,
        'x-signature': signRequest(this.config.appSecret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(this.config.timeoutMs),
    });
    if (!res.ok) throw new PrivacyNumberError(`privacy-number provider answered HTTP ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  }
}

/** The configured provider, or null: then calls go to the community duty phone. */
export function privacyNumberProviderFrom(config: PrivacyNumberConfig): PrivacyNumberProvider | null {
  const { baseUrl, appKey, appSecret } = config;
  if (!baseUrl || !appKey || !appSecret) return null;
  return new HttpPrivacyNumberProvider({ ...config, baseUrl, appKey, appSecret });
}
