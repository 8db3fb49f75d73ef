// ERP dealer master feed (DEBMAS IDoc XML or our JSON): each customer record creates or updates a
// dealer organisation through applyErpDealer. Master data is last-write-wins per message.
import { applyErpDealer } from "../../portal/domain/organizations/apply-erp-dealer.server";
import type { Feed } from "../pipeline/feed";
import { enqueueOutbound } from "../pipeline/outbox.server";
import { parseDealerMaster, type DealerMasterDocument } from "./debmas";

export const dealerMasterFeed: Feed<DealerMasterDocument> = {
  system: "erp",
  type: "dealer-master",
  maxBytes: 5 * 1024 * 1024,
  expectedEveryMinutes: 24 * 60, // master data daily
  parse: (body) => parseDealerMaster(body),
  messageIdOf: (doc) => doc.messageId ?? (doc.idocs[0]?.docnum ? `IDOC-${doc.idocs[0].docnum}` : null),
  // A master record is its own business document: key on the customer numbers it carries.
  businessKeyOf: () => null,
  async apply(ctx, doc, message) {
    const outcomes = [];
    for (const dealer of doc.dealers) {
      outcomes.push({
        customerNumber: dealer.customerNumber,
        ...(await applyErpDealer(ctx, { ...dealer, creditLimit: dealer.creditLimit })),
      });
    }
    // The ERP learns which portal dealer each customer became (an ALEAUD-style confirmation),
    // written in the same transaction as the change and sent by the outbox dispatcher.
    await enqueueOutbound(ctx, {
      system: "erp",
      type: "dealer-master-ack",
      messageId: `ACK-${message.messageId}`,
      correlationId: message.messageId,
      contentType: "application/json",
      body: JSON.stringify({
        acknowledges: message.messageId,
        status: "applied",
        dealers: outcomes.map((o) => ({ customerNumber: o.customerNumber, portalOrganizationId: o.organizationId, action: o.action })),
      }),
      summary: { documentType: "dealer_master_ack", documentNumber: message.messageId, lineCount: outcomes.length },
    });
    return {
      organizationId: outcomes.length === 1 ? outcomes[0]!.organizationId : null,
      detail: { dealers: outcomes },
    };
  },
};
