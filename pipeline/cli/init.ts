/** `letterpress init [dir]`: the printing side of `pipeline/init/letter.ts`. */
import path from "node:path";
import { createLetter } from "../init/letter.ts";
import type { Io } from "./io.ts";

export async function initCommand(dir: string, io: Io, projectRoot: (from: string) => string): Promise<number> {
  const root = projectRoot(dir);
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const date = Number.isFinite(epoch) && process.env.SOURCE_DATE_EPOCH ? new Date(epoch * 1000).toISOString().slice(0, 10) : undefined;
  const created = await createLetter(dir, root, date ? { date } : {});
  const doc = path.relative(process.cwd(), created.files[0]!) || created.files[0]!;
  for (const file of created.files) io.stdout(`Created ${path.relative(process.cwd(), file)}\n`);
  io.stdout(`\nNext:\n  letterpress check ${doc}\n  letterpress build ${doc}\n  letterpress translations update ${doc} --lang fr\n`);
  return 0;
}
