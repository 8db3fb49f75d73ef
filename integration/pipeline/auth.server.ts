// Who may send: an API key per system (header X-Api-Key) or an HMAC-SHA256 signature of the body
// with the same secret (header X-Signature: sha256=<hex>). Keys come from the environment
// (INTEGRATION_KEY_ERP, …); the demo configuration uses demo-key-erp, demo-key-dms, demo-key-mes,
// demo-key-bank, listed in the README.
import crypto from "node:crypto";
import type { IntegrationSystem } from "../../db/schema";

export function systemKey(system: IntegrationSystem, env: Record<string, string | undefined> = process.env): string {
  return env[`INTEGRATION_KEY_${system.toUpperCase()}`] || `demo-key-${system}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function authenticateSystem(
  system: IntegrationSystem,
  headers: Headers,
  body: Buffer,
  env: Record<string, string | undefined> = process.env,
): boolean {
  const key = systemKey(system, env);
  const apiKey = headers.get("x-api-key");
  if (apiKey) return safeEqual(apiKey, key);
  const signature = headers.get("x-signature");
  if (signature?.startsWith("sha256=")) {
    const expected = crypto.createHmac("sha256", key).update(body).digest("hex");
    return safeEqual(signature.slice(7).toLowerCase(), expected);
  }
  return false;
}

export function sign(body: Buffer | string, key: string): string {
  return `sha256=${crypto.createHmac("sha256", key).update(body).digest("hex")}`;
}
