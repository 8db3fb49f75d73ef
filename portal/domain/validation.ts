// Turns zod issues into field issues that name the field and the rule (CONVENTIONS §6).
import type { z } from "zod";
import { ValidationError, type FieldIssue } from "./errors";

export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.map(toFieldIssue));
}

function toFieldIssue(issue: z.ZodIssue): FieldIssue {
  const field = issue.path.join(".") || "form";
  switch (issue.code) {
    case "too_big":
      return { field, rule: "max_length", message: `must be at most ${issue.maximum} characters`, params: { max: Number(issue.maximum) } };
    case "too_small":
      return issue.minimum === 1
        ? { field, rule: "required", message: "is required" }
        : { field, rule: "min_length", message: `must be at least ${issue.minimum} characters`, params: { min: Number(issue.minimum) } };
    case "invalid_string":
      return { field, rule: `format_${String(issue.validation)}`, message: `is not a valid ${String(issue.validation)}` };
    case "invalid_enum_value":
      return { field, rule: "one_of", message: `must be one of ${issue.options.join(", ")}`, params: { options: issue.options.join(", ") } };
    case "invalid_type":
      return issue.received === "undefined"
        ? { field, rule: "required", message: "is required" }
        : { field, rule: "type", message: `must be ${issue.expected}` };
    default:
      return { field, rule: issue.code, message: issue.message };
  }
}
