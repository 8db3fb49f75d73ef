// "Are you sure?" before an action that changes things for good: a Radix AlertDialog whose confirm
// button posts the form (with `intent` and any hidden fields) to the current route's action.
import { Form } from "@remix-run/react";
import { AlertDialog } from "radix-ui";
import type { ReactNode } from "react";
import { useT } from "./i18n";

export function ConfirmDialog(props: {
  /** The button that opens the dialog (rendered as the trigger). */
  trigger: ReactNode;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: ReactNode;
  intent: string;
  fields?: [string, string][];
  danger?: boolean;
  confirmTestId?: string;
}) {
  const t = useT();
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger asChild>{props.trigger}</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="int-dialog-overlay" />
        <AlertDialog.Content className="int-dialog">
          <AlertDialog.Title className="int-dialog-title">{props.title}</AlertDialog.Title>
          <AlertDialog.Description className="muted">{props.description}</AlertDialog.Description>
          <Form method="post" className="int-dialog-actions">
            {props.fields?.map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
            <AlertDialog.Cancel asChild>
              <button type="button" className="btn">
                {t("integration.cancelButton")}
              </button>
            </AlertDialog.Cancel>
            <button
              type="submit"
              name="intent"
              value={props.intent}
              className={`btn ${props.danger ? "int-btn-danger" : "btn-primary"}`}
              data-testid={props.confirmTestId}
            >
              {props.confirmLabel}
            </button>
          </Form>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
