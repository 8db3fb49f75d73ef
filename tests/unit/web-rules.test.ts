import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "../../portal/web/redirect-to";
import { isCrossSiteMutation } from "../../portal/server/origin-check";
import { csvCell } from "../../portal/web/csv.server";
import { likePattern, parseListQuery } from "../../portal/domain/list-query";
import { userListSpec } from "../../portal/domain/users/list-users.server";

describe("safeRedirectPath", () => {
  it.each(["/users", "/users?page=2", "/organizations/abc#x"])("keeps the in-app path %s", (p) => {
    expect(safeRedirectPath(p)).toBe(p);
  });
  it.each([
    "//evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\t/evil.example",
    "\\\\evil.example",
    "http:/evil.example",
    "",
    "users",
    "/login",
  ])("refuses %j", (p) => {
    expect(safeRedirectPath(p)).toBe("/home");
  });
  it("refuses non-strings", () => {
    expect(safeRedirectPath(undefined)).toBe("/home");
    expect(safeRedirectPath(["/x"])).toBe("/home");
  });
});

describe("isCrossSiteMutation", () => {
  const me = "http://localhost:3000";
  it("lets GET through whatever its origin", () => {
    expect(isCrossSiteMutation("GET", { origin: "https://evil.example", secFetchSite: "cross-site" }, me)).toBe(false);
  });
  it("refuses a POST from another origin, a null origin, or a cross-site fetch", () => {
    expect(isCrossSiteMutation("POST", { origin: "https://evil.example" }, me)).toBe(true);
    expect(isCrossSiteMutation("POST", { origin: "null" }, me)).toBe(true);
    expect(isCrossSiteMutation("DELETE", { secFetchSite: "cross-site" }, me)).toBe(true);
    expect(isCrossSiteMutation("POST", { origin: "http://localhost:3001" }, me)).toBe(true);
  });
  it("accepts same-origin browsers and machine clients without the headers", () => {
    expect(isCrossSiteMutation("POST", { origin: "http://LOCALHOST:3000", secFetchSite: "same-origin" }, me)).toBe(false);
    expect(isCrossSiteMutation("POST", {}, me)).toBe(false);
  });
});

describe("list queries", () => {
  it("takes sort columns only from the allowlist", () => {
    const q = parseListQuery(new URLSearchParams("sort=password_hash;drop table users&dir=sideways&page=-1&size=100000"), userListSpec);
    expect(q.sort).toBe("name");
    expect(q.dir).toBe("asc");
    expect(q.page).toBe(1);
    expect(q.pageSize).toBe(100);
  });
  it("drops filter values outside their allowed set and caps free text", () => {
    const q = parseListQuery(new URLSearchParams({ role: "superuser", q: "x".repeat(500) }), userListSpec);
    expect(q.filters.role).toBeUndefined();
    expect(q.filters.q).toHaveLength(100);
  });
  it("escapes LIKE wildcards", () => {
    expect(likePattern("50%_off\\")).toBe("%50\\%\\_off\\\\%");
  });
});

describe("csvCell", () => {
  it("quotes separators and neutralises spreadsheet formulas", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("经销商")).toBe("经销商");
    expect(csvCell(null)).toBe("");
  });
});
