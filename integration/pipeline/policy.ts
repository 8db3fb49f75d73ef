// Retry and lease policy shared by the inbound worker and the outbound dispatcher.

/** A claimed message not finished within this many seconds is taken back (its worker died). */
export const leaseSeconds = 300;

export const backoffPolicy = { baseSeconds: 30, maxSeconds: 3600 };

/** Exponential backoff: 30 s, 1 min, 2 min, … capped at an hour. */
export function nextAttemptAt(now: Date, attempts: number): Date {
  const seconds = Math.min(backoffPolicy.maxSeconds, backoffPolicy.baseSeconds * 2 ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + seconds * 1000);
}
