/**
 * The missions a letter is delivered to: ISO 3166-1 codes of member states with the UN language
 * each works in. State names are not stored: each copy names the state in its edition's language,
 * from CLDR (Intl.DisplayNames).
 */
import path from "node:path";
import type { VFile } from "vfile";
import { z } from "zod";
import { readText } from "../parse/read.ts";
import { parseYaml, placeOf, validateYaml } from "../parse/yaml.ts";

export const UN_LANGUAGES = ["en", "fr", "es", "ru", "ar", "zh"] as const;

const missionSchema = z.strictObject({
  code: z.string().regex(/^[A-Z]{2}$/, "`code` must be an ISO 3166-1 alpha-2 code such as `FR`"),
  lang: z.enum(UN_LANGUAGES, { error: `\`lang\` must be one of ${UN_LANGUAGES.join(", ")}` }),
  /** The state's official name in the mission's language, where CLDR's common name differs. */
  name: z.string().trim().min(1).optional(),
});

export const missionsSchema = z.strictObject({ missions: z.array(missionSchema).min(1) });

export type Mission = z.infer<typeof missionSchema>;

/** How a copy names the state: the mission's own `name`, else CLDR's name in the language. */
export function missionName(mission: Mission): string {
  return mission.name ?? stateName(mission.code, mission.lang);
}

/** The state's name in a language ("France", "Francia", "法国"). */
export function stateName(code: string, lang: string): string {
  return new Intl.DisplayNames([lang], { type: "region", fallback: "code" }).of(code) ?? code;
}

export async function loadMissions(file: string): Promise<{ file: VFile; missions: Mission[] | undefined }> {
  const vfile = await readText(path.resolve(file));
  if (vfile.messages.some((m) => m.fatal)) return { file: vfile, missions: undefined };
  const source = parseYaml(String(vfile.value), vfile, "missions");
  if (!source) return { file: vfile, missions: undefined };
  const data = validateYaml(source, missionsSchema, vfile, "mission-schema", "missions");
  if (!data) return { file: vfile, missions: undefined };
  const seen = new Map<string, number>();
  data.missions.forEach((m, i) => {
    if (stateName(m.code, "en") === m.code) {
      vfile.message(`Unknown country code \`${m.code}\``, { place: placeOf(source, ["missions", i, "code"]), ruleId: "mission-schema", source: "missions" }).fatal = true;
    }
    const first = seen.get(m.code);
    if (first !== undefined) {
      vfile.message(`Mission \`${m.code}\` is listed twice (first at item ${first + 1})`, { place: placeOf(source, ["missions", i, "code"]), ruleId: "mission-duplicate", source: "missions" }).fatal = true;
    } else seen.set(m.code, i);
  });
  return { file: vfile, missions: vfile.messages.some((m) => m.fatal) ? undefined : data.missions };
}
