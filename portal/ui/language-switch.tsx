// zh-CN / en switch: a plain form POST, so it works before JavaScript loads, remembered per user
// (or per browser before sign-in).
import { Form } from "@remix-run/react";
import { supportedLocales } from "../i18n";
import { useLocale, useT } from "./i18n";

export function LanguageSwitch({ redirectTo }: { redirectTo: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Form method="post" action="/settings/language" className="lang-switch" aria-label={t("nav.language")}>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {supportedLocales.map((l) => (
        <button
          key={l}
          type="submit"
          name="locale"
          value={l}
          className={`btn btn-small${l === locale ? " btn-primary" : ""}`}
          aria-pressed={l === locale}
          lang={l}
          data-testid={`lang-${l}`}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
    </Form>
  );
}
