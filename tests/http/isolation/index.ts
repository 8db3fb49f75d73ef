// Isolation cases of the screens added by each area, merged into tests/http/isolation-cases.ts.
// An area adds a file exporting its cases and spreads it here.
import type { IsolationCase } from "../isolation-cases";
import { integrationCases } from "./integration";
import { inventoryCases } from "./inventory";

export const areaCases: Record<string, IsolationCase[]> = { ...inventoryCases, ...integrationCases };
