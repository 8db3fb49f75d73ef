// Errors and warnings of inbound messages, as people read them in the integration monitor and in
// the `errors`/`warnings` of an acknowledgement: which field, which rule, what was wrong
// (CONVENTIONS §6 "Errors name the field and the rule").

export interface FieldIssue {
  /** Where in the message, e.g. "E1EDK02[QUALF=009]/BELNR" or "Stmt[1]/Ntry[3]/Amt". */
  readonly field: string;
  /** A stable rule name for code and filters: "required", "date", "amount", "check_digit", ... */
  readonly rule: string;
  readonly message: string;
}

/** One field broke one rule; thrown by the small readers, collected by the parsers. */
export class FieldError extends Error {
  override readonly name = "FieldError";
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }

  toIssue(): FieldIssue {
    return { field: this.field, rule: this.rule, message: this.message };
  }
}

/**
 * The message could be read but its content breaks rules; every issue found is listed, not only
 * the first. `summary` holds what could be extracted, for `?validateOnly=1` answers.
 */
export class MessageValidationError extends Error {
  override readonly name = "MessageValidationError";
  constructor(
    readonly issues: readonly FieldIssue[],
    readonly summary?: unknown,
  ) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join("; "));
  }
}

/** Collects issues while a parser walks a message, so one pass reports them all. */
export class IssueCollector {
  readonly errors: FieldIssue[] = [];
  readonly warnings: FieldIssue[] = [];

  error(field: string, rule: string, message: string): void {
    this.errors.push({ field, rule, message });
  }

  warn(field: string, rule: string, message: string): void {
    this.warnings.push({ field, rule, message });
  }

  /** Runs a reader; a FieldError becomes an error entry and the result is undefined. */
  try<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (e) {
      if (e instanceof FieldError) {
        this.errors.push(e.toIssue());
        return undefined;
      }
      throw e;
    }
  }

  /** Throws MessageValidationError when any error was collected. */
  throwIfErrors(summary?: unknown): void {
    if (this.errors.length > 0) throw new MessageValidationError(this.errors, summary);
  }
}
