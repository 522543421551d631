/**
 * One Idempotency-Key per errand submission. The key belongs to the exact body: a retry of the
 * same body (after a timeout on a weak network) reuses it, so the BFF returns the first result
 * instead of creating a second errand. A changed body gets a new key (the BFF refuses a reused
 * key with another body) — except while an earlier attempt is unanswered: it may have created the
 * errand, so its key stays until the server has answered, whatever the body. The keys live as
 * long as the form: they are never reset after a success, the form is left instead.
 */
export function newIdempotencyKey(now: number = Date.now()): string {
  const random = Math.random().toString(36).slice(2, 12).padEnd(10, '0');
  return `errand-${now.toString(36)}-${random}`;
}

export class SubmissionKeys {
  private readonly keys = new Map<string, string>();
  /** The key of an attempt that got no answer (network, timeout, 5xx): it may have landed. */
  private unanswered: string | null = null;

  keyFor(body: unknown): string {
    if (this.unanswered) return this.unanswered;
    const fingerprint = JSON.stringify(body);
    let key = this.keys.get(fingerprint);
    if (!key) {
      key = newIdempotencyKey();
      this.keys.set(fingerprint, key);
    }
    return key;
  }

  /** After each attempt: `answered` false when the request may or may not have reached the server. */
  settle(key: string, answered: boolean): void {
    this.unanswered = answered ? null : key;
  }

  /** A new submission starts (a new confirmation of 再来一单): earlier keys are done with. */
  reset(): void {
    this.keys.clear();
    this.unanswered = null;
  }
}
