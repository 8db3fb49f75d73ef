// Login throttling, kept in the database so that every server instance counts the same failures.
// Per account: after 5 failures within 15 minutes the account is locked, 1 minute at first and
// doubling with each further failure up to an hour. Per IP: 30 failures within 15 minutes lock the
// address for 15 minutes (spraying many accounts from one address).
import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { loginThrottle } from "../../../db/schema";
import { RateLimitedError } from "../errors";

export const throttlePolicy = {
  windowMinutes: 15,
  account: { maxFailures: 5, firstLockMinutes: 1, maxLockMinutes: 60 },
  ip: { maxFailures: 30, lockMinutes: 15 },
};

export const accountKey = (email: string) => `acct:${email.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** Throws RateLimitedError when any of the keys is locked at `now`. */
export async function assertNotThrottled(db: DbOrTx, keys: string[], now: Date): Promise<void> {
  const rows = await db.select().from(loginThrottle).where(inArray(loginThrottle.key, keys));
  const until = rows
    .map((r) => r.lockedUntil)
    .filter((d): d is Date => d !== null && d > now)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  if (until) throw new RateLimitedError(Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/** Counts one failure against a key in a single atomic statement (safe under concurrency). */
export async function recordFailure(db: DbOrTx, key: string, now: Date): Promise<void> {
  const isIp = key.startsWith("ip:");
  const windowStart = new Date(now.getTime() - throttlePolicy.windowMinutes * 60_000);
  const max = isIp ? throttlePolicy.ip.maxFailures : throttlePolicy.account.maxFailures;
  // Dates go into raw SQL as ISO text: postgres.js does not serialise a Date inside drizzle's sql``.
  const fresh = sql`${loginThrottle.windowStartedAt} < ${windowStart.toISOString()}::timestamptz`;
  const failures = sql`(case when ${fresh} then 1 else ${loginThrottle.failures} + 1 end)`;
  // Lock minutes: fixed for an IP; for an account 1, 2, 4, … minutes for each failure past the limit.
  const lockMinutes = isIp
    ? sql`${throttlePolicy.ip.lockMinutes}`
    : sql`least(${throttlePolicy.account.maxLockMinutes}, ${throttlePolicy.account.firstLockMinutes} * power(2, greatest(0, ${failures} - ${max})))`;
  await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: max <= 1 ? now : null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures,
        windowStartedAt: sql`case when ${fresh} then ${now.toISOString()}::timestamptz else ${loginThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${failures} >= ${max} then ${now.toISOString()}::timestamptz + make_interval(mins => (${lockMinutes})::int) else ${loginThrottle.lockedUntil} end`,
      },
    });
}

export async function clearFailures(db: DbOrTx, key: string): Promise<void> {
  await db.delete(loginThrottle).where(inArray(loginThrottle.key, [key]));
}
