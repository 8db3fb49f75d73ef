import { describe, expect, it } from "vitest";
import { MessageValidationError } from "../common/issues";
import { readFixture } from "../testing/samples";
import { materialName, parseMaterialMaster } from "./matmas";

const xml = readFixture("erp/matmas-vehicle-and-parts.xml").toString("utf8");

describe("MATMAS IDoc XML", () => {
  it("reads a vehicle model and two parts with exact material numbers", () => {
    const { summary, document, warnings } = parseMaterialMaster(readFixture("erp/matmas-vehicle-and-parts.xml"));
    expect(summary).toEqual({ documentType: "material_master", documentNumber: "0000000000812001", documentDate: "2025-03-04", lineCount: 3 });
    expect(warnings).toEqual([]);
    expect(document.materials.map((m) => [m.materialNumber, m.kind, m.deleted])).toEqual([
      ["000000000000400123", "vehicle_model", false],
      ["000000000050001234", "part", false],
      ["AU-7L0-698-151", "part", true],
    ]);
    const [vehicle, filter] = document.materials;
    expect(vehicle!.descriptions).toEqual([
      { language: "en", sapLanguage: "E", text: "Aurora S7 2.0T AWD Premium" },
      { language: "zh", sapLanguage: "1", text: "极光 S7 2.0T 四驱 尊享版" },
      { language: "de", sapLanguage: "D", text: "Aurora S7 2.0T Allrad Premium" }, // no SPRAS_ISO: from SAP's key
    ]);
    expect(vehicle).toMatchObject({ materialGroup: "VEH-SUV", grossWeight: "1985.000", netWeight: "1850.000", weightUnit: "KGM", division: "01" });
    expect(vehicle!.plants).toEqual([{ plant: "P100", status: "Z1", reorderPoint: null, safetyStock: null }]);
    expect(vehicle!.salesAreas).toEqual([{ salesOrganization: "1000", distributionChannel: "10" }]);
    expect(filter).toMatchObject({ oldMaterialNumber: "OF-2231", grossWeight: "0.420" });
    expect(filter!.plants[0]).toEqual({ plant: "W200", status: null, reorderPoint: "120.000", safetyStock: "40.000" });
    expect(materialName(vehicle!, "zh")).toBe("极光 S7 2.0T 四驱 尊享版");
    expect(materialName(filter!, "fr")).toBe("Oil filter 2.0T");
  });

  it("skips material types that are neither vehicles nor parts, with a warning", () => {
    const { summary, warnings } = parseMaterialMaster(xml.replace("<MTART>FERT</MTART>", "<MTART>HALB</MTART>"));
    expect(summary.lineCount).toBe(2);
    expect(warnings).toMatchObject([{ field: "IDOC[1]/E1MARAM[MATNR=000000000000400123]/MTART", rule: "ignored" }]);
  });

  it("warns about an unknown language key and keeps the text", () => {
    const { document, warnings } = parseMaterialMaster(xml.replace("<SPRAS>D</SPRAS>", "<SPRAS>#</SPRAS>"));
    expect(document.materials[0]!.descriptions[2]).toEqual({ language: null, sapLanguage: "#", text: "Aurora S7 2.0T Allrad Premium" });
    expect(warnings[0]).toMatchObject({ rule: "enum" });
  });

  it("names the field and rule of missing keys, types and descriptions", () => {
    const broken = xml
      .replace("<MATNR>000000000050001234</MATNR>", "")
      .replace("<MTART>FERT</MTART>", "")
      .replace("<MAKTX>Brake pad set, front</MAKTX>", "");
    try {
      parseMaterialMaster(broken);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MessageValidationError);
      expect((e as MessageValidationError).issues.map((i) => [i.field, i.rule])).toEqual([
        ["IDOC[1]/E1MARAM[MATNR=000000000000400123]/MTART", "required"],
        ["IDOC[2]/E1MARAM/MATNR", "required"],
        ["IDOC[3]/E1MARAM[MATNR=AU-7L0-698-151]/E1MAKTM/MAKTX", "required"],
      ]);
    }
  });
});
