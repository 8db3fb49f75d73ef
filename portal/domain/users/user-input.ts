import { z } from "zod";
import { roles } from "../../../db/schema";
import { passwordRules } from "../auth/password.server";

export const createUserInput = z.object({
  email: z.string().trim().min(1).max(254).email(),
  name: z.string().trim().min(1).max(100),
  role: z.enum(roles),
  organizationId: z.string().uuid(),
  password: z.string().min(passwordRules.minLength).max(passwordRules.maxLength),
  locale: z.enum(["zh-CN", "en"]).optional().nullable(),
});

export const updateUserInput = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(roles),
  status: z.enum(["active", "inactive"]),
  // Empty means "keep the current password".
  password: z
    .string()
    .max(passwordRules.maxLength)
    .refine((p) => p === "" || p.length >= passwordRules.minLength, {
      message: `must be at least ${passwordRules.minLength} characters`,
    })
    .optional(),
  // The version the editor saw; a save over someone else's newer change is refused.
  expectedUpdatedAt: z.string().datetime().optional(),
});
