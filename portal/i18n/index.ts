// Two languages, Chinese first (DESIGN §1). Messages are plain dictionaries with {param} slots.
import type { Locale } from "../../db/schema";
import { en, type MessageKey } from "./en";
import { zhCN } from "./zh-CN";

export type { MessageKey };
export const supportedLocales: readonly Locale[] = ["zh-CN", "en"];
export const defaultLocale: Locale = "zh-CN";
export const dictionaries: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

export type Params = Record<string, string | number | bigint | null | undefined>;

export function translate(locale: Locale, key: string, params?: Params): string {
  const dict = dictionaries[locale] as Record<string, string>;
  const template = dict[key] ?? (dictionaries.en as Record<string, string>)[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

export function isLocale(value: unknown): value is Locale {
  return value === "zh-CN" || value === "en";
}

/**
 * Picks the language from Accept-Language: the first supported tag by quality wins, Chinese of any
 * region counts as zh-CN, and anything else falls back to Chinese.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return defaultLocale;
  const tags = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...rest] = part.trim().split(";");
      const q = rest.map((r) => r.trim()).find((r) => r.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((t) => t.tag && t.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of tags) {
    if (tag === "zh" || tag.startsWith("zh-")) return "zh-CN";
    if (tag === "en" || tag.startsWith("en-")) return "en";
  }
  return defaultLocale;
}
