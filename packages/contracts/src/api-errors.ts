/**
 * How a client turns a failed call into words its user can act on. The mini-program and the
 * desk console share the rule and the error type; each supplies its own wording (a resident and a
 * desk are told different things about the same 403).
 */

/** A failed call, with a message for the user (never a stack trace or an English code). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth retrying as is: the request may never have reached the server. */
  get retriable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

export interface ErrorWording {
  /** Codes whose fixed wording beats the server's message. */
  byCode: Record<string, string>;
  /** By HTTP status (0: no answer at all), when the server sent no Chinese message. */
  byStatus: Record<number, string>;
  serverFault: string;
  otherwise: string;
  /** For anything thrown that is not an ApiError. */
  unexpected: string;
}

/** `friendlyMessage` (status, code, server message → words) and `messageOf` (anything thrown → words). */
export function errorMessages(w: ErrorWording) {
  const friendlyMessage = (status: number, code: string, serverMessage?: string): string => {
    if (w.byCode[code]) return w.byCode[code];
    if (serverMessage && /[\u4e00-\u9fa5]/.test(serverMessage)) return serverMessage;
    if (w.byStatus[status]) return w.byStatus[status];
    if (status >= 500) return w.serverFault;
    return w.otherwise;
  };
  const messageOf = (error: unknown): string => (error instanceof ApiError ? error.message : w.unexpected);
  return { friendlyMessage, messageOf };
}
