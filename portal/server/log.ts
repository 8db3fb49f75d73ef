// Structured JSON logs, one line per event, with the request id when there is one.
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export type Logger = Record<Level, (msg: string, fields?: Record<string, unknown>) => void>;

export function createLogger(minLevel: Level | "silent" = "info", base: Record<string, unknown> = {}): Logger {
  const emit = (level: Level) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (order[level] < order[minLevel]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields }, (_k, v) =>
      typeof v === "bigint" ? v.toString() : v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v,
    );
    (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
