// Password login: throttled per account and per IP, the same answer for an unknown email and a wrong
// password, a new session on success, and an audit row either way.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "../../../db/schema";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { writeAudit } from "../audit/write-audit.server";
import { ValidationError } from "../errors";
import { parseInput } from "../validation";
import { burnPasswordCheck, verifyPassword } from "./password.server";
import { createSession } from "./session.server";
import { accountKey, assertNotThrottled, clearFailures, ipKey, recordFailure } from "./throttle.server";

export const loginInput = z.object({
  email: z.string().trim().min(1).max(254).email(),
  password: z.string().min(1).max(200),
});

export class InvalidCredentialsError extends ValidationError {
  override name = "InvalidCredentialsError";
  constructor() {
    super([{ field: "form", rule: "invalid_credentials", message: "email or password is incorrect" }]);
  }
}

export async function login(
  ctx: Ctx,
  input: unknown,
  meta: { userAgent?: string } = {},
): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const { email, password } = parseInput(loginInput, input);
  const system: Ctx = { ...ctx, actor: { kind: "system", name: "login" } };
  const keys = [accountKey(email), ...(ctx.ip ? [ipKey(ctx.ip)] : [])];
  await assertNotThrottled(ctx.db, keys, ctx.now);

  const user = await inScope(system, async (tx) => {
    const [row] = await tx
      .select({
        id: users.id,
        email: users.email,
        passwordHash: users.passwordHash,
        status: users.status,
        organizationId: users.organizationId,
      })
      .from(users)
      // Emails are stored lower-case; comparing the column itself lets the index serve it under RLS.
      .where(eq(users.email, email.toLowerCase()));
    return row;
  });

  const ok = user ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
  if (!ok || !user || user.status !== "active") {
    await inScope(system, async (tx, c) => {
      for (const key of keys) await recordFailure(tx, key, ctx.now);
      await writeAudit(c, {
        action: "auth.login_failed",
        entityType: "user",
        entityId: user?.id ?? null,
        organizationId: user?.organizationId ?? null,
        label: `anonymous:${email.toLowerCase()}`,
        after: { reason: !user ? "unknown_email" : !ok ? "wrong_password" : "inactive" },
      });
    });
    throw new InvalidCredentialsError();
  }

  return inScope(system, async (tx, c) => {
    await clearFailures(tx, accountKey(email));
    const session = await createSession(tx, user.id, ctx.now, { ip: ctx.ip, userAgent: meta.userAgent });
    await tx.update(users).set({ lastLoginAt: ctx.now }).where(eq(users.id, user.id));
    await writeAudit(c, {
      action: "auth.login",
      entityType: "user",
      entityId: user.id,
      organizationId: user.organizationId,
      label: `user:${user.email}`,
    });
    return { ...session, userId: user.id };
  });
}
