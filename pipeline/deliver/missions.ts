/**
 * The missions a letter is delivered to: ISO 3166-1 codes of member states with the UN language
 * each works in, and optionally where their copy is emailed. State names are not stored: each copy
 * names the state in its edition's language, from CLDR (Intl.DisplayNames).
 */
import path from "node:path";
import type { VFile } from "vfile";
import { z } from "zod";
import type { LabelKey } from "../i18n/labels.ts";
import { readText } from "../parse/read.ts";
import { parseYaml, placeOf, validateYaml } from "../parse/yaml.ts";

export const UN_LANGUAGES = ["en", "fr", "es", "ru", "ar", "zh"] as const;

/** The UN duty stations with permanent missions, and the label of each one's address line. */
export const DUTY_STATIONS = { "New York": "delivery-mission", Geneva: "delivery-mission-geneva", Vienna: "delivery-mission-vienna", Nairobi: "delivery-mission-nairobi" } as const satisfies Record<string, LabelKey>;
export type DutyStation = keyof typeof DUTY_STATIONS;
export const stationSchema = z.enum(Object.keys(DUTY_STATIONS) as [DutyStation, ...DutyStation[]], {
  error: `the duty station must be one of ${Object.keys(DUTY_STATIONS).join(", ")}`,
});

const email = z.email({ error: "not an email address (`name@example.org`)" });
const addresses = z.union([email, z.array(email).min(1)], { error: "must be an email address or a list of them" });

const missionSchema = z.strictObject({
  code: z.string().regex(/^[A-Z]{2}$/, "`code` must be an ISO 3166-1 alpha-2 code such as `FR`"),
  lang: z.enum(UN_LANGUAGES, { error: `\`lang\` must be one of ${UN_LANGUAGES.join(", ")}` }),
  /** The state's official name in the mission's language, where CLDR's common name differs. */
  name: z.string().trim().min(1).optional(),
  /** Where the mission's copy is emailed (`letterpress deliver --send`). */
  email: addresses.optional(),
  cc: addresses.optional(),
});

export const missionsSchema = z.strictObject({ station: stationSchema.optional(), missions: z.array(missionSchema).min(1) });

type MissionEntry = z.infer<typeof missionSchema>;
export interface Mission extends Omit<MissionEntry, "email" | "cc"> {
  email: string[];
  cc: string[];
  /** Line of the mission's entry in the missions file, for messages about it. */
  line?: number;
}

/** How a copy names the state: the mission's own `name`, else CLDR's name in the language. */
export function missionName(mission: Pick<Mission, "name" | "code" | "lang">): string {
  return mission.name ?? stateName(mission.code, mission.lang);
}

/** The state's name in a language ("France", "Francia", "法国"). */
export function stateName(code: string, lang: string): string {
  return new Intl.DisplayNames([lang], { type: "region", fallback: "code" }).of(code) ?? code;
}

export interface LoadedMissions {
  file: VFile;
  missions: Mission[] | undefined;
  station?: DutyStation;
}

export async function loadMissions(file: string): Promise<LoadedMissions> {
  const vfile = await readText(path.resolve(file));
  if (vfile.messages.some((m) => m.fatal)) return { file: vfile, missions: undefined };
  const source = parseYaml(String(vfile.value), vfile, "letterpress:deliver");
  if (!source) return { file: vfile, missions: undefined };
  const data = validateYaml(source, missionsSchema, vfile, "mission-schema", "letterpress:deliver");
  if (!data) return { file: vfile, missions: undefined };
  const seen = new Map<string, number>();
  /** Which mission each address belongs to: one address given to two missions is a mistake. */
  const owners = new Map<string, number>();
  const missions = data.missions.map((m, i): Mission => {
    const at = (key: PropertyKey, ...rest: PropertyKey[]) => placeOf(source, ["missions", i, key, ...rest]);
    if (stateName(m.code, "en") === m.code) {
      vfile.message(`Unknown country code \`${m.code}\``, { place: at("code"), ruleId: "mission-schema", source: "letterpress:deliver" }).fatal = true;
    }
    const first = seen.get(m.code);
    if (first !== undefined) {
      vfile.message(`Mission \`${m.code}\` is listed twice (first at item ${first + 1})`, { place: at("code"), ruleId: "mission-duplicate", source: "letterpress:deliver" }).fatal = true;
    } else seen.set(m.code, i);
    const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    const mine = new Set<string>();
    for (const key of ["email", "cc"] as const) {
      list(m[key]).forEach((address, k) => {
        const normal = address.toLowerCase();
        const place = at(key, ...(Array.isArray(m[key]) ? [k] : []));
        const owner = owners.get(normal);
        if (owner !== undefined && owner !== i) {
          vfile.message(`\`${address}\` is also the address of \`${data.missions[owner]!.code}\`: each mission's copy must go to that mission only`, { place, ruleId: "mission-duplicate-address", source: "letterpress:deliver" }).fatal = true;
        } else if (mine.has(normal)) {
          vfile.message(`\`${address}\` is listed twice for \`${m.code}\``, { place, ruleId: "mission-duplicate-address", source: "letterpress:deliver" }).fatal = true;
        }
        owners.set(normal, i);
        mine.add(normal);
      });
    }
    const line = (at("code") as { line?: number; start?: { line: number } }).start?.line ?? (at("code") as { line?: number }).line;
    return { ...m, email: list(m.email), cc: list(m.cc), ...(line ? { line } : {}) };
  });
  return {
    file: vfile,
    missions: vfile.messages.some((m) => m.fatal) ? undefined : missions,
    ...(data.station ? { station: data.station } : {}),
  };
}
