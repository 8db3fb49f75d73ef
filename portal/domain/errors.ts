// Typed domain errors. Routes map them to HTTP in one place (portal/server/http-errors.ts):
// NotFound → 404, Forbidden → 403, Validation → 400/422, Conflict → 409, RateLimited → 429.

export type FieldIssue = { field: string; rule: string; message: string; params?: Record<string, unknown> };

export class DomainError extends Error {
  override name = "DomainError";
}

/** The object does not exist, or exists in another organisation: the caller cannot tell which. */
export class NotFoundError extends DomainError {
  override name = "NotFoundError";
  constructor(public entity: string) {
    super(`${entity} not found`);
  }
}

export class ForbiddenError extends DomainError {
  override name = "ForbiddenError";
  constructor(public permission: string) {
    super(`missing permission ${permission}`);
  }
}

export class ValidationError extends DomainError {
  override name = "ValidationError";
  constructor(public issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join("; "));
  }
}

export class ConflictError extends DomainError {
  override name = "ConflictError";
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export class RateLimitedError extends DomainError {
  override name = "RateLimitedError";
  constructor(public retryAfterSeconds: number) {
    super(`too many attempts; retry in ${retryAfterSeconds}s`);
  }
}
