// The one table every list screen uses: server-side pagination, sortable headers, filters in a GET
// form (so a filtered list is a link you can share), and a CSV export of exactly what is filtered.
import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Page } from "../domain/list-query";
import { pageSizes } from "../domain/list-query";
import { useFormatters, useT } from "./i18n";

export type Column<T> = {
  key: string;
  header: string;
  /** The sort key the server accepts for this column, if it sorts. */
  sort?: string;
  numeric?: boolean;
  render: (row: T) => ReactNode;
};

export type FilterDef =
  | { name: string; label: string; type: "text"; placeholder?: string }
  | { name: string; label: string; type: "select"; options: { value: string; label: string }[] }
  | { name: string; label: string; type: "date" };

export function DataTable<T>(props: {
  columns: Column<T>[];
  page: Page<T>;
  rowKey: (row: T) => string;
  filters?: FilterDef[];
  defaultSort: string;
  defaultDir?: "asc" | "desc";
  /** The CSV resource route of this list (e.g. "/users.csv"); it receives the same filters and sort. */
  exportPath?: string;
  caption?: string;
}) {
  const t = useT();
  const fmt = useFormatters();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { page, columns } = props;
  const sort = params.get("sort") ?? props.defaultSort;
  const dir = params.get("dir") ?? props.defaultDir ?? "asc";
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const from = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
  const to = Math.min(page.total, page.page * page.pageSize);

  const href = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    const qs = next.toString();
    return qs ? `?${qs}` : "?";
  };

  return (
    <div aria-busy={navigation.state === "loading"}>
      {props.filters?.length || props.exportPath ? (
        <Form method="get" className="table-tools" role="search">
          {props.filters?.map((f) => (
            <div className={`field${f.type === "text" ? " grow" : ""}`} key={f.name}>
              <label htmlFor={`filter-${f.name}`}>{f.label}</label>
              {f.type === "select" ? (
                <select id={`filter-${f.name}`} name={f.name} defaultValue={params.get(f.name) ?? ""}>
                  <option value="">{t("table.all")}</option>
                  {f.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={`filter-${f.name}`}
                  name={f.name}
                  type={f.type === "date" ? "date" : "search"}
                  maxLength={100}
                  defaultValue={params.get(f.name) ?? ""}
                  placeholder={f.type === "text" ? f.placeholder : undefined}
                />
              )}
            </div>
          ))}
          {params.get("sort") ? <input type="hidden" name="sort" value={sort} /> : null}
          {params.get("dir") ? <input type="hidden" name="dir" value={dir} /> : null}
          {params.get("size") ? <input type="hidden" name="size" value={params.get("size")!} /> : null}
          {props.filters?.length ? (
            <>
              <button type="submit" className="btn btn-primary">
                {t("table.apply")}
              </button>
              <Link className="btn" to="?">
                {t("table.reset")}
              </Link>
            </>
          ) : null}
          {props.exportPath ? (
            <a className="btn" href={`${props.exportPath}${href({ page: null, size: null })}`} download data-testid="export-csv">
              ⤓ {t("table.exportCsv")}
            </a>
          ) : null}
        </Form>
      ) : null}

      <div className="table-wrap">
        <table className="data">
          {props.caption ? <caption className="skip">{props.caption}</caption> : null}
          <thead>
            <tr>
              {columns.map((c) => {
                const active = c.sort && c.sort === sort;
                const nextDir = active && dir === "asc" ? "desc" : "asc";
                return (
                  <th
                    key={c.key}
                    className={c.numeric ? "num" : undefined}
                    aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}
                  >
                    {c.sort ? (
                      <Link to={href({ sort: c.sort, dir: nextDir, page: null })} preventScrollReset>
                        {c.header}
                        <span className="sort-arrow" aria-hidden>
                          {active ? (dir === "asc" ? "▲" : "▼") : "↕"}
                        </span>
                      </Link>
                    ) : (
                      c.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {page.rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="empty">
                  {t("table.empty")}
                </td>
              </tr>
            ) : (
              page.rows.map((row) => (
                <tr key={props.rowKey(row)}>
                  {columns.map((c) => (
                    <td key={c.key} className={c.numeric ? "num" : undefined}>
                      {c.render(row)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>

      <div className="pager">
        <span>{t("table.rows", { from: fmt.number(from), to: fmt.number(to), total: fmt.number(page.total) })}</span>
        <nav aria-label={t("table.page", { page: page.page, pages })}>
          <Form method="get" style={{ display: "inline-flex", gap: 6, alignItems: "center" }}>
            {[...params.entries()]
              .filter(([k]) => k !== "size" && k !== "page")
              .map(([k, v]) => (
                <input key={k} type="hidden" name={k} value={v} />
              ))}
            <label htmlFor="page-size">{t("table.perPage")}</label>
            <select id="page-size" name="size" defaultValue={String(page.pageSize)} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
              {pageSizes.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </Form>
          <PagerLink to={href({ page: "1" })} disabled={page.page <= 1} label={t("table.first")} text="«" />
          <PagerLink to={href({ page: String(page.page - 1) })} disabled={page.page <= 1} label={t("table.prev")} text="‹" />
          <span>{t("table.page", { page: page.page, pages })}</span>
          <PagerLink to={href({ page: String(page.page + 1) })} disabled={page.page >= pages} label={t("table.next")} text="›" />
          <PagerLink to={href({ page: String(pages) })} disabled={page.page >= pages} label={t("table.last")} text="»" />
        </nav>
      </div>
    </div>
  );
}

function PagerLink({ to, disabled, label, text }: { to: string; disabled: boolean; label: string; text: string }) {
  return disabled ? (
    <span className="btn btn-small" aria-disabled="true" title={label}>
      {text}
    </span>
  ) : (
    <Link className="btn btn-small" to={to} title={label} aria-label={label} preventScrollReset>
      {text}
    </Link>
  );
}
