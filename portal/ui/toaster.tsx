// Toast messages after actions. The server passes a one-time flash (set by the action's redirect).
import { Toast } from "radix-ui";
import { useEffect, useState } from "react";
import type { Flash } from "../server/load-context";
import { useT } from "./i18n";

export function Toaster({ flash, id }: { flash: Flash | null; id: string }) {
  const t = useT();
  const [open, setOpen] = useState(Boolean(flash));
  useEffect(() => setOpen(Boolean(flash)), [flash, id]);
  return (
    <Toast.Provider swipeDirection="right" duration={5000}>
      {flash ? (
        <Toast.Root key={id} className="toast" data-kind={flash.kind} open={open} onOpenChange={setOpen} data-testid="toast">
          <Toast.Description>{t(flash.key, flash.params)}</Toast.Description>
          <Toast.Close className="toast-close" aria-label={t("toast.dismiss")}>
            ×
          </Toast.Close>
        </Toast.Root>
      ) : null}
      <Toast.Viewport className="toast-viewport" />
    </Toast.Provider>
  );
}
