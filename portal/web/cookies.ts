// Cookie names and attributes. HttpOnly and SameSite=Lax always; Secure whenever the request came
// over HTTPS, so the plain-HTTP local demo still works.
export const SESSION_COOKIE = "dp_session";
export const LOCALE_COOKIE = "dp_lang";
export const FLASH_COOKIE = "dp_flash";

type CookieOptions = { maxAgeSeconds?: number; expires?: Date; secure: boolean; httpOnly?: boolean };

export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", "SameSite=Lax"];
  if (o.httpOnly !== false) parts.push("HttpOnly");
  if (o.secure) parts.push("Secure");
  if (o.expires) parts.push(`Expires=${o.expires.toUTCString()}`);
  if (o.maxAgeSeconds !== undefined) parts.push(`Max-Age=${o.maxAgeSeconds}`);
  return parts.join("; ");
}

export function clearCookie(name: string, secure: boolean): string {
  return serializeCookie(name, "", { maxAgeSeconds: 0, expires: new Date(0), secure });
}

export function parseCookies(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      out[name] = "";
    }
  }
  return out;
}
