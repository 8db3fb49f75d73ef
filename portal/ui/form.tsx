// Form fields that show their error (field + rule, translated) next to the input.
import type { ReactNode } from "react";
import type { FieldIssue } from "../domain/errors";
import { issueText, useT } from "./i18n";

export function fieldErrors(issues: FieldIssue[] | undefined, field: string): FieldIssue[] {
  return (issues ?? []).filter((i) => i.field === field);
}

export function Field(props: {
  name: string;
  label: string;
  issues?: FieldIssue[];
  hint?: string;
  children: (a11y: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const t = useT();
  const errors = fieldErrors(props.issues, props.name);
  const id = `f-${props.name}`;
  const describedBy = errors.length ? `${id}-error` : props.hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, "aria-invalid": errors.length > 0, "aria-describedby": describedBy })}
      {errors.length > 0 ? (
        <span className="error" id={`${id}-error`} role="alert">
          {errors.map((e) => issueText(t, { ...e, field: "form" })).join("; ")}
        </span>
      ) : props.hint ? (
        <span className="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      ) : null}
    </div>
  );
}

/** Errors that belong to no single field (conflicts, throttling) and a summary of the others. */
export function FormErrors({ issues }: { issues?: FieldIssue[] }) {
  const t = useT();
  if (!issues?.length) return null;
  const general = issues.filter((i) => i.field === "form");
  return (
    <div className="alert alert-error" role="alert">
      {general.length ? general.map((i) => <div key={i.rule}>{issueText(t, i)}</div>) : t("form.errors")}
    </div>
  );
}
