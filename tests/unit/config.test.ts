import { describe, expect, it } from "vitest";
import { loadConfig } from "../../portal/server/config";

describe("loadConfig", () => {
  it("applies defaults: port 3000, embedded database, demo seed", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, PGLITE_DIR: ".data/pglite", SEED_DEMO: true, TRUST_PROXY: false });
    expect(c.DATABASE_URL).toBeUndefined();
  });
  it("treats an empty variable as unset", () => {
    expect(loadConfig({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });
  it("names each bad variable and its rule", () => {
    expect(() => loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x" })).toThrow(/PORT: .*\n.*DATABASE_URL: must start with postgres/);
  });
});
