/** `letterpress watch` and the edition record: rebuild what changed, report who was added. */
import { execFileSync } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { build, Builder, type BuildResult } from "../pipeline/build/build.ts";
import { watch, type WatchEvent } from "../pipeline/build/watch.ts";
import type { Format } from "../pipeline/model.ts";
import { cli, letterCopy, letterProject } from "./helpers.ts";

/** Wait for the next build event. */
function nextEvent(events: WatchEvent[], count: number, timeout = 60_000): Promise<WatchEvent> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (events.length >= count) resolve(events[count - 1]!);
      else if (Date.now() - started > timeout) reject(new Error(`no build event ${count} after ${timeout} ms`));
      else setTimeout(poll, 25);
    };
    poll();
  });
}

/**
 * `watch` on the letter's project in `dir` into `dir/dist`, its build events collected in order;
 * `onBuild` sees each event before it is collected. `stop` ends the watch.
 */
function watchLetter(dir: string, formats: Format[], onBuild?: (event: WatchEvent, before: readonly WatchEvent[]) => void, langs?: string[]) {
  const controller = new AbortController();
  const events: WatchEvent[] = [];
  const running = watch({
    input: path.join(dir, "source/open-letter.md"),
    outDir: path.join(dir, "dist"),
    root: dir,
    formats,
    ...(langs ? { langs } : {}),
    signal: controller.signal,
    onBuild: (event) => {
      onBuild?.(event, events);
      events.push(event);
    },
  });
  return {
    events,
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}

/** This process's descendants that are a Chromium browser process (not its helpers, not a wrapper script). */
function chromiumBrowsers(root = process.pid): number[] {
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      let children: string[] = [];
      try {
        children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean);
      } catch {
        // the process or thread ended meanwhile
      }
      for (const child of children.map(Number)) {
        try {
          // Chromium's helpers rewrite their command line as one string: `… --type=zygote …`.
          const cmdline = readFileSync(`/proc/${child}/cmdline`, "utf8");
          if (/chrom/.test(path.basename(cmdline.split("\0")[0]!.split(" ")[0]!)) && !cmdline.includes("--type=")) found.push(child);
          visit(child);
        } catch {
          // ended meanwhile
        }
      }
    }
  };
  visit(root);
  return found;
}

describe("watch", () => {
  it("rebuilds every edition after a signatory edit and only one language after a PO edit", async () => {
    const dir = await letterProject();
    const out = path.join(dir, "dist");
    const { events, stop } = watchLetter(dir, ["html", "docx"]);
    try {
      const first = await nextEvent(events, 1);
      expect(first.changed).toEqual([]);
      expect(first.result?.ok).toBe(true);
      expect(first.result?.reused).toBe(0);

      const yaml = path.join(dir, "source/signatories.yaml");
      await appendFile(yaml, "  - name: Zeta Watch Coalition\n    family: Coalition\n");
      const second = await nextEvent(events, 2);
      expect(second.changed).toEqual([yaml]);
      expect(second.result?.ok).toBe(true);
      expect(second.result?.reused).toBe(0); // every edition shows the list
      expect(await readFile(path.join(out, "fr/open-letter.html"), "utf8")).toContain("Zeta Watch Coalition");
      expect(await readFile(path.join(out, "open-letter.signatories-changes.md"), "utf8")).toContain("- Zeta Watch Coalition");
      const manifest = JSON.parse(await readFile(path.join(out, "open-letter.manifest.json"), "utf8"));
      expect(manifest.signatories.individuals).toBe(7);
      expect(manifest.changes).toEqual({ compared: true, added: ["Zeta Watch Coalition"], removed: [] });

      const po = path.join(dir, "translations/fr/open-letter.po");
      await writeFile(po, (await readFile(po, "utf8")).replace('msgstr "Excellences,"', 'msgstr "Mesdames et Messieurs les Ambassadeurs,"'));
      const third = await nextEvent(events, 3);
      expect(third.changed).toEqual([po]);
      expect(third.result?.reused).toBe(10); // 5 other languages × 2 formats
      expect(await readFile(path.join(out, "fr/open-letter.html"), "utf8")).toContain("Mesdames et Messieurs les Ambassadeurs,");
    } finally {
      await stop();
    }
  }, 180_000);

  it("replaces a Chromium that was killed: the next rebuild prints the PDF again", async () => {
    const dir = await letterProject();
    const pdf = path.join(dir, "dist/en/open-letter.pdf");
    const { events, stop } = watchLetter(dir, ["pdf"], undefined, ["en"]);
    try {
      expect((await nextEvent(events, 1)).result?.ok).toBe(true);
      const killed = chromiumBrowsers();
      expect(killed).toHaveLength(1);
      process.kill(killed[0]!, "SIGKILL");
      await appendFile(path.join(dir, "source/signatories.yaml"), "  - name: Phoenix Restart Coalition\n    family: Coalition\n");
      const second = await nextEvent(events, 2);
      expect(second.error).toBeUndefined();
      expect(second.result?.ok).toBe(true);
      expect(execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" })).toContain("Phoenix Restart Coalition");
      const now = chromiumBrowsers();
      expect(now).toHaveLength(1);
      expect(now[0]).not.toBe(killed[0]);
    } finally {
      await stop();
    }
    expect(chromiumBrowsers()).toEqual([]);
  }, 120_000);

  it("prints once Chromium is there, when it was missing at the start", async () => {
    const dir = await letterProject();
    const pdf = path.join(dir, "dist/en/open-letter.pdf");
    const missing = path.join(dir, "no-chromium-yet");
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = missing;
    const { events, stop } = watchLetter(dir, ["pdf"], undefined, ["en"]);
    try {
      const first = await nextEvent(events, 1);
      expect(String(first.error)).toContain(`Chromium not found at ${missing}`);
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
      // The build that threw had read the signatories: an edit there is seen without the document saved.
      const yaml = path.join(dir, "source/signatories.yaml");
      await appendFile(yaml, "  - name: Late Browser Coalition\n    family: Coalition\n");
      const second = await nextEvent(events, 2);
      expect(second.changed).toEqual([yaml]);
      expect(second.error).toBeUndefined();
      expect(second.result?.ok).toBe(true);
      expect(execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" })).toContain("Late Browser Coalition");
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
      await stop();
    }
  }, 120_000);

  it("does not miss a signatory edit made during the first build, before the file was watched", async () => {
    const dir = await letterProject();
    const out = path.join(dir, "dist");
    const yaml = path.join(dir, "source/signatories.yaml");
    const { events, stop } = watchLetter(dir, ["html"], (_event, before) => {
      // The first build has read the signatories and is reporting; the watch does not know the
      // file yet (the document names it): an edit now reaches no watcher.
      if (before.length === 0) appendFileSync(yaml, "  - name: Early Bird Coalition\n    family: Coalition\n");
    });
    try {
      expect((await nextEvent(events, 1)).result?.ok).toBe(true);
      expect(await readFile(path.join(out, "en/open-letter.html"), "utf8")).not.toContain("Early Bird Coalition");
      const second = await nextEvent(events, 2);
      expect(second.changed).toEqual([yaml]);
      expect(await readFile(path.join(out, "en/open-letter.html"), "utf8")).toContain("Early Bird Coalition");
    } finally {
      await stop();
    }
  }, 120_000);
});

describe("a builder between builds", () => {
  it("keeps the parse and the overlays while their inputs are unchanged, reporting their diagnostics again", async () => {
    const dir = await letterProject();
    const po = path.join(dir, "translations/fr/open-letter.po");
    // A fuzzy entry: a warning on the French PO file, at the entry's line.
    await writeFile(po, (await readFile(po, "utf8")).replace('msgctxt "body/p1"', '#, fuzzy\nmsgctxt "body/p1"'));
    const builder = new Builder();
    // --partial: the edition with a fuzzy entry is published, its entry in English.
    const options = { input: path.join(dir, "source/open-letter.md"), outDir: path.join(dir, "dist"), root: dir, formats: ["html"] as const, partial: true };
    const fuzzy = (result: BuildResult) =>
      result.files
        .filter((f) => f.path === po)
        .flatMap((f) => f.messages)
        .filter((m) => m.ruleId === "translation-fuzzy" && m.fatal === false)
        .map((m) => `${m.line}:${m.column} ${m.reason}`);
    const html = (lang: string) => readFile(path.join(dir, "dist", lang, "open-letter.html"), "utf8");
    try {
      const first = await builder.build(options);
      expect(first.ok).toBe(true);
      expect(fuzzy(first)).toHaveLength(1);

      // Only the signatories change: the same warning, once, and the new name in every edition.
      await appendFile(path.join(dir, "source/signatories.yaml"), "  - name: Kept Overlay Test\n    family: Test\n");
      const second = await builder.build(options);
      expect(second.ok).toBe(true);
      expect(fuzzy(second)).toEqual(fuzzy(first));
      for (const lang of ["en", "fr", "zh"]) expect(await html(lang)).toContain("Kept Overlay Test");
      // The fuzzy entry still falls back to English.
      expect(await html("fr")).toContain('<span lang="en" dir="auto">Excellencies,</span>');

      // The document changes: parsed and overlaid again (the French entry no longer matches it).
      const md = path.join(dir, "source/open-letter.md");
      await writeFile(md, (await readFile(md, "utf8")).replace(/^Excellencies,$/m, "Dear Excellencies,"));
      const third = await builder.build(options);
      expect(third.ok).toBe(true);
      expect(await html("en")).toContain("Dear Excellencies,");
      expect(fuzzy(third)).toEqual([]);
      expect(third.files.find((f) => f.path === po)?.messages.some((m) => m.ruleId === "translation-untranslated" && /body\/p1/.test(m.reason))).toBe(true);

      // The PO file changes: that language is overlaid again.
      await writeFile(po, (await readFile(po, "utf8")).replace('msgid "Excellencies,"\nmsgstr "Excellences,"', 'msgid "Dear Excellencies,"\nmsgstr "Chères Excellences,"').replace("#, fuzzy\n", ""));
      const fourth = await builder.build(options);
      expect(await html("fr")).toContain("Chères Excellences,");
      expect(fourth.files.find((f) => f.path === po)?.messages.filter((m) => /body\/p1/.test(m.reason))).toEqual([]);
    } finally {
      await builder.dispose();
    }
  }, 120_000);
});

describe("a lasting builder's PDFs", () => {
  it("are the bytes a fresh build makes, after signatory edits and a letter edit", async () => {
    const dir = await letterProject();
    const env = { ...process.env, SOURCE_DATE_EPOCH: "1573603200" };
    const options = (outDir: string) => ({ input: path.join(dir, "source/open-letter.md"), outDir, root: dir, langs: ["en", "ar", "ru"], formats: ["pdf"] as const, env });
    const builder = new Builder({ lasting: true });
    const yaml = path.join(dir, "source/signatories.yaml");
    const md = path.join(dir, "source/open-letter.md");
    const original = await readFile(yaml, "utf8");
    try {
      expect((await builder.build(options(path.join(dir, "dist")))).ok).toBe(true);
      const edits: Array<[string, () => Promise<void>]> = [
        ["a sign-on", () => appendFile(yaml, "  - name: Ada Lasting\n    family: Lasting\n    affiliation: A university with a name long enough to take a second line in the list\n")],
        ["an organisation withdraws", () => writeFile(yaml, original.replace("  - name: Access Now\n", ""))],
        ["the closing sentence", async () => writeFile(md, (await readFile(md, "utf8")).replace(/^(We strongly urge .*)$/m, "$1 Thank you."))],
      ];
      for (const [what, edit] of edits) {
        await builder.trim(); // as a watch does once a build is reported
        await edit();
        const kept = await builder.build(options(path.join(dir, "dist")));
        const fresh = await build(options(path.join(dir, `fresh-${edits.findIndex(([w]) => w === what)}`)));
        expect(kept.ok && fresh.ok, what).toBe(true);
        const pdfs = (result: BuildResult) => result.outputs.filter((o) => o.format === "pdf").map((o) => `${o.path} ${o.sha256}`);
        expect(pdfs(kept), what).toEqual(pdfs(fresh));
      }
    } finally {
      await builder.dispose();
    }
  }, 180_000);
});

describe("manifest", () => {
  it("lists every file with size and sha256, coverage and signatory counts", async () => {
    const dir = await letterCopy();
    const out = path.join(dir, "dist");
    expect((await cli(["build", path.join(dir, "source/open-letter.md"), "--out", out, "--format", "html", "--quiet"])).code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, "open-letter.manifest.json"), "utf8"));
    expect(manifest.document).toBe("open-letter");
    expect(manifest.signatories).toMatchObject({ organisations: 36, individuals: 6 });
    const html = manifest.files.find((f: { path: string }) => f.path === "en/open-letter.html");
    const bytes = await readFile(path.join(out, "en/open-letter.html"));
    expect(html.bytes).toBe(bytes.byteLength);
    expect(html.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.changes.compared).toBe(false);
  });
});
