// The shape of an organisation as created or edited by an OEM admin.
import { z } from "zod";
import { organizationType } from "../../../db/schema";

export const organizationInput = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .regex(/^[A-Z0-9][A-Z0-9_-]*$/, "uppercase letters, digits, - and _"),
  name: z.string().trim().min(1).max(120),
  type: z.enum(organizationType.enumValues),
  regionCode: z.string().trim().max(20).optional().nullable(),
  parentId: z.string().uuid().optional().nullable(),
  status: z.enum(["active", "inactive"]).default("active"),
  // Decimal text in the organisation's currency, e.g. "5000000.00".
  creditLimit: z.string().trim().max(30).default("0"),
  currency: z.string().trim().length(3).toUpperCase().default("CNY"),
});
export type OrganizationInput = z.input<typeof organizationInput>;
