// Where tests find messages: our own fixtures (always in the repository) and the shared real
// samples (read byte for byte from ../shared/samples when present, never copied; DESIGN §5).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SAMPLES_DIR = path.resolve(process.cwd(), "../shared/samples");
/** Our fixtures, found from this file so tests run from any working directory. */
export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures");

export const hasSamples = existsSync(SAMPLES_DIR);

/** Test-name suffix that says clearly why conformance tests did not run. */
export const samplesNote = hasSamples ? "" : ` — SKIPPED: shared samples not found at ${SAMPLES_DIR}`;

/** The exact bytes of a shared sample, e.g. readSample("sap-idoc/SAP_Invoice.xml"). */
export function readSample(relative: string): Buffer {
  return readFileSync(path.join(SAMPLES_DIR, relative));
}

export function readFixture(relative: string): Buffer {
  return readFileSync(path.join(FIXTURES_DIR, relative));
}
