// Every minute: files dropped in ./.data/inbox/{system}/ go through the pipeline like pushed
// messages. The file name starts with the message type ("dealer-master-20250303.xml"); afterwards
// the file moves to processed/ or failed/ (with a .error.txt beside it saying why). A crash between
// receiving and moving is harmless: the next poll receives the same bytes again, which the pipeline
// recognises as the same message and answers with the first acknowledgement.
import fs from "node:fs";
import path from "node:path";
import { findFeed, isSystem, plannedTypes } from "../integration/pipeline/registry";
import { receiveMessage } from "../integration/pipeline/receive.server";
import type { Job } from "./job";

const contentTypes: Record<string, string> = { ".xml": "application/xml", ".json": "application/json" };

export function typeFromFileName(system: keyof typeof plannedTypes, fileName: string): string | null {
  const types = [...plannedTypes[system]].sort((a, b) => b.length - a.length);
  return types.find((t) => fileName.toLowerCase().startsWith(t)) ?? null;
}

export async function pollInbox(ctx: Parameters<Job["handler"]>[0]) {
  const counts = { processed: 0, failed: 0 };
  for (const system of Object.keys(plannedTypes)) {
    if (!isSystem(system)) continue;
    const dir = path.resolve(ctx.config.INBOX_DIR, system);
    fs.mkdirSync(path.join(dir, "processed"), { recursive: true });
    fs.mkdirSync(path.join(dir, "failed"), { recursive: true });
    const files = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith("."));
    for (const file of files) {
      const source = path.join(dir, file.name);
      const fail = (reason: string) => {
        fs.renameSync(source, path.join(dir, "failed", file.name));
        fs.writeFileSync(path.join(dir, "failed", `${file.name}.error.txt`), reason + "\n");
        counts.failed++;
      };
      const type = typeFromFileName(system, file.name);
      const feed = type ? findFeed(system, type) : null;
      if (!type || !feed) {
        fail(`no message type of ${system} matches the file name; start it with one of: ${plannedTypes[system].join(", ")}`);
        continue;
      }
      if (feed === "not_implemented") {
        fail(`${system}/${type} is not processed yet`);
        continue;
      }
      const stat = fs.statSync(source);
      if (stat.size > feed.maxBytes) {
        fail(`the file has ${stat.size} bytes; ${system}/${type} accepts at most ${feed.maxBytes}`);
        continue;
      }
      const body = fs.readFileSync(source);
      const { ack } = await receiveMessage(
        ctx.database.db,
        { feed, body, contentType: contentTypes[path.extname(file.name).toLowerCase()] ?? "application/octet-stream", channel: "file" },
        ctx.now,
      );
      if (ack.status === "failed" || ack.status === "dead") {
        fail(ack.errors.map((e) => `${e.field}: ${e.message}`).join("\n") || ack.status);
      } else {
        fs.renameSync(source, path.join(dir, "processed", file.name));
        counts.processed++;
      }
    }
  }
  return counts;
}

export const job: Job = {
  name: "poll-file-drops",
  schedule: "* * * * *",
  handler: pollInbox,
};
