// Acknowledging a stock alert: someone has taken it up. OEM staff only (warehouse stock and its
// alerts are the OEM's; the database lets only the OEM scope write alerts). Audited; a second
// acknowledgement is a conflict, not a silent overwrite; another reader's alert is not found.
import { and, eq, isNull } from "drizzle-orm";
import { stockAlerts } from "../../../db/schema";
import { writeAudit } from "../audit/write-audit.server";
import { requirePermission, requireUserActor } from "../authorize";
import type { Ctx } from "../context";
import { inScope, scopeOf } from "../context";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function acknowledgeStockAlert(ctx: Ctx, alertId: string): Promise<{ id: string; acknowledgedBy: string }> {
  requirePermission(ctx.actor, "inventory:read");
  const actor = requireUserActor(ctx.actor);
  if (!UUID.test(alertId)) throw new NotFoundError("stock alert");
  return inScope(ctx, async (tx, c) => {
    const [before] = await tx.select().from(stockAlerts).where(eq(stockAlerts.id, alertId));
    if (!before) throw new NotFoundError("stock alert");
    if (scopeOf(actor) !== "all") throw new ForbiddenError("inventory:acknowledge");
    const [after] = await tx
      .update(stockAlerts)
      .set({ acknowledgedBy: actor.email })
      .where(and(eq(stockAlerts.id, alertId), isNull(stockAlerts.acknowledgedBy)))
      .returning();
    if (!after) throw new ConflictError("already_acknowledged", `acknowledged already by ${before.acknowledgedBy}`);
    await writeAudit(c, {
      action: "stock_alert.acknowledged",
      entityType: "stock_alert",
      entityId: alertId,
      organizationId: after.organizationId,
      before: { acknowledgedBy: before.acknowledgedBy, level: before.level, threshold: before.threshold },
      after: { acknowledgedBy: after.acknowledgedBy, kind: after.kind, scopeKey: after.scopeKey, subject: after.subject },
    });
    return { id: after.id, acknowledgedBy: after.acknowledgedBy! };
  });
}
