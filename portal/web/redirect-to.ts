// Only in-app paths are accepted as a redirect target after login: "/orders?x=1" yes;
// "//evil.example", "/\\evil.example", "https://…", "javascript:…" no.
export function safeRedirectPath(target: unknown, fallback = "/home"): string {
  if (typeof target !== "string") return fallback;
  const t = target.trim();
  if (t.length === 0 || t.length > 1000) return fallback;
  if (!t.startsWith("/") || t.startsWith("//") || t.startsWith("/\\")) return fallback;
  // Control characters and backslashes can be normalised by browsers into a scheme-relative URL.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\\\u0000-\u001f\u007f]/.test(t)) return fallback;
  try {
    const url = new URL(t, "http://portal.invalid");
    if (url.origin !== "http://portal.invalid") return fallback;
    if (url.pathname === "/login" || url.pathname === "/logout") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
