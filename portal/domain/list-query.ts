// Server-side list parameters shared by every list screen and its CSV export: page, page size, sort
// column from an allowlist (never a raw column name from the request), direction and filters.
export type SortDir = "asc" | "desc";

export type ListSpec<S extends string, F extends string> = {
  sorts: readonly S[];
  defaultSort: S;
  defaultDir?: SortDir;
  /** Filter name → allowed values, or "text" for free text (trimmed, capped at 100 characters). */
  filters: Record<F, readonly string[] | "text">;
};

export type ListQuery<S extends string, F extends string> = {
  page: number;
  pageSize: number;
  sort: S;
  dir: SortDir;
  filters: Partial<Record<F, string>>;
};

export type Page<T> = { rows: T[]; total: number; page: number; pageSize: number };

export const pageSizes = [10, 25, 50, 100] as const;
export const exportPageSize = 1000;

export function parseListQuery<S extends string, F extends string>(
  params: URLSearchParams,
  spec: ListSpec<S, F>,
): ListQuery<S, F> {
  const page = clampInt(params.get("page"), 1, 1_000_000, 1);
  const size = clampInt(params.get("size"), 1, 100, 25);
  const sortParam = params.get("sort") as S | null;
  const sort = sortParam && spec.sorts.includes(sortParam) ? sortParam : spec.defaultSort;
  const dirParam = params.get("dir");
  const dir: SortDir = dirParam === "asc" || dirParam === "desc" ? dirParam : (spec.defaultDir ?? "asc");
  const filters: Partial<Record<F, string>> = {};
  for (const [name, allowed] of Object.entries(spec.filters) as [F, readonly string[] | "text"][]) {
    const raw = params.get(name)?.trim();
    if (!raw) continue;
    if (allowed === "text") filters[name] = raw.slice(0, 100);
    else if (allowed.includes(raw)) filters[name] = raw;
  }
  return { page, pageSize: size, sort, dir, filters };
}

function clampInt(raw: string | null, min: number, max: number, fallback: number): number {
  if (raw === null || !/^\d{1,9}$/.test(raw)) return fallback;
  return Math.min(max, Math.max(min, Number(raw)));
}

/** Escapes LIKE wildcards so that a search for "50%" finds "50%", not everything. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
