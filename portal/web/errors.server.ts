// Maps domain errors to HTTP in one place: actions get field errors back as data, everything else
// becomes the matching status for the error boundary.
import { data } from "@remix-run/node";
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError, type FieldIssue } from "../domain/errors";

export type ActionErrors = { ok: false; issues: FieldIssue[] };

/** For actions: validation and conflict errors come back as data with status 400/409; others rethrow. */
export function actionError(error: unknown) {
  if (error instanceof ValidationError) return data<ActionErrors>({ ok: false, issues: error.issues }, { status: 400 });
  if (error instanceof ConflictError) {
    return data<ActionErrors>({ ok: false, issues: [{ field: "form", rule: error.code, message: error.message }] }, { status: 409 });
  }
  if (error instanceof RateLimitedError) {
    return data<ActionErrors>(
      { ok: false, issues: [{ field: "form", rule: "throttled", message: error.message, params: { minutes: Math.ceil(error.retryAfterSeconds / 60) } }] },
      { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
    );
  }
  throw httpError(error);
}

/** For loaders: domain errors become thrown Responses. */
export function httpError(error: unknown): unknown {
  if (error instanceof Response) return error;
  if (error instanceof NotFoundError) return new Response("Not Found", { status: 404 });
  // A missing permission answers 404 too, so nothing about the object leaks (DESIGN §2).
  if (error instanceof ForbiddenError) return new Response("Not Found", { status: 404 });
  if (error instanceof ValidationError) return new Response(error.message, { status: 400 });
  if (error instanceof ConflictError) return new Response(error.message, { status: 409 });
  return error;
}

export async function orThrowHttp<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw httpError(error);
  }
}
