/**
 * The writer registry: one writer per format. The `Format` union and this record are the only
 * place formats are enumerated; an unknown format is a configuration error (see `parseFormats`).
 *
 * Writers are loaded on first use: `letterpress check` or an HTML-only build never loads docx,
 * epub-gen-memory or puppeteer, whose loading is a large part of a command's start-up.
 */
import { ConfigError } from "../errors.ts";
import { FORMATS, type Format, type Writer } from "../model.ts";

/** A registry entry that imports its writer the first time it is used. */
function lazy(extension: string, name: string, load: () => Promise<Writer>, traits: Pick<Writer, "offloaded"> = {}): Writer {
  let loaded: Promise<Writer> | undefined;
  const writer = () => (loaded ??= load());
  return {
    extension,
    name,
    ...traits,
    async prepare(resources) {
      await (await writer()).prepare?.(resources);
    },
    write: async (pub, ctx) => (await writer()).write(pub, ctx),
    async writeCopies(pub, recipients, ctx) {
      const w = await writer();
      if (w.writeCopies) return w.writeCopies(pub, recipients, ctx);
      return Promise.all(recipients.map((recipient) => w.write({ ...pub, recipient }, ctx)));
    },
  };
}

export const writers: Record<Format, Writer> = {
  html: lazy("html", "HTML", async () => (await import("./html/index.ts")).htmlWriter),
  epub: lazy("epub", "EPUB", async () => (await import("./epub/index.ts")).epubWriter),
  pdf: lazy("pdf", "PDF", async () => (await import("./pdf/index.ts")).pdfWriter, { offloaded: true }),
  docx: lazy("docx", "DOCX", async () => (await import("./docx/index.ts")).docxWriter),
};

/** Validate a user's list of formats (`html,pdf`). */
export function parseFormats(list: readonly string[] | undefined): Format[] {
  if (!list || list.length === 0) return [...FORMATS];
  return list.map((name) => {
    if (!(FORMATS as readonly string[]).includes(name)) {
      throw new ConfigError(`Unknown format \`${name}\`; choose from ${FORMATS.join(", ")}`);
    }
    return name as Format;
  });
}
