// CSV export of any list: the same domain query as the screen, page by page, streamed. A UTF-8 BOM
// lets Excel open Chinese text correctly; cells that a spreadsheet would run as a formula are
// prefixed with an apostrophe (CSV injection).
import { exportPageSize, type Page } from "../domain/list-query";

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvCell).join(",") + "\r\n";
}

export type CsvColumn<T> = { header: string; value: (row: T) => unknown };

/**
 * Streams every page of a list query as CSV from a resource route (`/users.csv`, …). Stops at
 * `maxRows` so one click cannot dump a table forever.
 */
export function csvResponse<T>(
  filename: string,
  columns: CsvColumn<T>[],
  fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
  maxRows = 200_000,
): Response {
  const encoder = new TextEncoder();
  let page = 1;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("\uFEFF" + csvLine(columns.map((c) => c.header))));
    },
    async pull(controller) {
      try {
        const result = await fetchPage(page++, exportPageSize);
        const chunk = result.rows.map((row) => csvLine(columns.map((c) => c.value(row)))).join("");
        if (chunk) controller.enqueue(encoder.encode(chunk));
        sent += result.rows.length;
        if (result.rows.length < exportPageSize || sent >= maxRows) controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
  const response = new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
  return response;
}
