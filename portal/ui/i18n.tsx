// The reader's language in React: the root loader decides it, components ask useT().
import { useRouteLoaderData } from "@remix-run/react";
import type { Locale } from "../../db/schema";
import { defaultLocale, translate, type MessageKey, type Params } from "../i18n";
import type { FieldIssue } from "../domain/errors";

export type RootData = {
  locale: Locale;
  requestId: string;
};

export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as RootData | undefined;
  return data?.locale ?? defaultLocale;
}

export type T = (key: MessageKey | (string & {}), params?: Params) => string;

export function useT(): T {
  const locale = useLocale();
  return (key, params) => translate(locale, key, params);
}

/** "Email: is not a valid email address" in the reader's language. */
export function issueText(t: T, issue: FieldIssue): string {
  const rule = t(`rules.${issue.rule}`, issue.params as Params);
  const ruleText = rule === `rules.${issue.rule}` ? issue.message : rule;
  return issue.field === "form" ? ruleText : `${t(`fields.${issue.field}`)}: ${ruleText}`;
}

export function useFormatters() {
  const locale = useLocale();
  return {
    dateTime: (d: Date | string | null | undefined) =>
      d ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(d)) : "—",
    date: (d: Date | string | null | undefined) =>
      d ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(d)) : "—",
    number: (n: number) => new Intl.NumberFormat(locale).format(n),
  };
}

/** An audit action in words ("Signed in"), falling back to its code for actions without a label. */
export function actionLabel(t: T, action: string): string {
  const label = t(`actions.${action}`);
  return label === `actions.${action}` ? action : label;
}
