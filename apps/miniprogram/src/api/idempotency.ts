/**
 * One Idempotency-Key per errand submission. The key belongs to the exact body: a retry of the
 * same body (after a timeout on a weak network) reuses it, so the BFF returns the first result
 * instead of creating a second errand; a changed body gets a new key (the BFF refuses a reused
 * key with another body).
 */
export function newIdempotencyKey(now: number = Date.now()): string {
  const random = Math.random().toString(36).slice(2, 12).padEnd(10, '0');
  return `errand-${now.toString(36)}-${random}`;
}

export class SubmissionKeys {
  private readonly keys = new Map<string, string>();

  keyFor(body: unknown): string {
    const fingerprint = JSON.stringify(body);
    let key = this.keys.get(fingerprint);
    if (!key) {
      key = newIdempotencyKey();
      this.keys.set(fingerprint, key);
    }
    return key;
  }

  /** After a success the form starts over: the next submission is a new errand. */
  reset(): void {
    this.keys.clear();
  }
}
