import { describe, expect, it } from "vitest";
import { en } from "../../portal/i18n/en";
import { zhCN } from "../../portal/i18n/zh-CN";
import { negotiateLocale, translate } from "../../portal/i18n";
import { roles } from "../../db/schema";

describe("dictionaries", () => {
  it("have the same keys and no empty text", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(zhCN)) expect(v.trim(), k).not.toBe("");
  });
  it("translate every role in both languages", () => {
    for (const r of roles) {
      expect(translate("zh-CN", `roles.${r}`)).not.toBe(`roles.${r}`);
      expect(translate("en", `roles.${r}`)).not.toBe(`roles.${r}`);
    }
  });
  it("actually speak Chinese in zh-CN", () => {
    expect(translate("zh-CN", "nav.logout")).toBe("退出登录");
    expect(translate("en", "nav.logout")).toBe("Log out");
    expect(translate("zh-CN", "home.title", { name: "刘洋" })).toBe("欢迎，刘洋");
  });
});

describe("negotiateLocale", () => {
  it.each([
    [null, "zh-CN"],
    ["en-US,en;q=0.9", "en"],
    ["zh-TW,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["fr-FR,en;q=0.5", "en"],
    ["de-DE", "zh-CN"],
    ["en;q=0.2,zh;q=0.8", "zh-CN"],
    ["*", "zh-CN"],
  ])("%s → %s", (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});
