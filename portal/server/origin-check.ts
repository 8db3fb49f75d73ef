// Cross-site request refusal for every state-changing request (pages, resource routes and APIs):
// a browser tells us where a request comes from with Origin and Sec-Fetch-Site; if either says
// "another site", the request is refused before any code of ours runs. Machine clients (API keys,
// file uploads by scripts) send neither header and pass.
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export function isCrossSiteMutation(
  method: string,
  headers: { origin?: string | null; secFetchSite?: string | null },
  expectedOrigin: string,
): boolean {
  if (safeMethods.has(method.toUpperCase())) return false;
  const site = headers.secFetchSite?.toLowerCase();
  if (site === "cross-site" || site === "same-site") return true;
  const origin = headers.origin;
  if (origin === undefined || origin === null || origin === "") return false;
  if (origin === "null") return true; // sandboxed frames, data: URLs, some redirects
  return normalise(origin) !== normalise(expectedOrigin);
}

function normalise(origin: string): string {
  try {
    const u = new URL(origin);
    return `${u.protocol}//${u.host}`.toLowerCase();
  } catch {
    return origin.toLowerCase();
  }
}
