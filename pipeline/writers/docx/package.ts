/**
 * Pack a docx `Document` into bytes that depend only on the publication: docx draws hyperlink
 * relationship ids from `Math.random`, stamps `dcterms:created/modified` with the clock, numbers
 * bookmarks from a counter shared by the whole process and zips with the current time. Here the
 * document is built and compiled to its parts under a seeded `Math.random`, then the parts are
 * rewritten (dates from the epoch, ids renumbered in order of appearance) and zipped with fixed
 * entry times.
 */
import { Packer, type Document } from "docx";
import { strFromU8, strToU8 } from "fflate";
import { mulberry32 } from "../../random.ts";
import { COMPRESSED, zipEntries } from "../shared/zip.ts";

export interface PackageInfo {
  /** Seconds since the epoch: created/modified dates and zip entry times. */
  epoch: number;
  /** `dc:language` of the core properties (Word's tag, `en-GB`). */
  language: string;
}

/** Build (inside the seeded scope: hyperlinks draw their ids when constructed) and pack. */
export async function packDocument(build: () => Document, info: PackageInfo): Promise<Uint8Array> {
  const original = Math.random;
  Math.random = mulberry32(0x1e77e5);
  let compiled: Map<string, string | Uint8Array>;
  try {
    compiled = compilerOf().compile(build());
  } finally {
    Math.random = original;
  }
  const parts: Record<string, Uint8Array | string> = Object.fromEntries(compiled);
  const names = Object.keys(parts);
  const text = (name: string) => {
    const part = parts[name]!;
    return typeof part === "string" ? part : strFromU8(part);
  };
  const xmlNames = names.filter((n) => /\.(xml|rels)$/.test(n));

  // 1. Core properties: dates from the epoch, the language.
  if (parts["docProps/core.xml"]) {
    const iso = new Date(info.epoch * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    let core = text("docProps/core.xml").replace(/(<dcterms:(?:created|modified)\b[^>]*>)[^<]*/g, `$1${iso}`);
    if (!core.includes("<dc:language>")) core = core.replace("</cp:coreProperties>", `<dc:language>${escapeXml(info.language)}</dc:language></cp:coreProperties>`);
    parts["docProps/core.xml"] = core;
  }

  // 2. Random relationship ids (rId + 21 nanoid characters) → rIdL1, rIdL2 … in order of appearance.
  const relIds = new Map<string, string>();
  // 3. Bookmark ids from docx's process-wide counter → 1, 2 … in order of appearance.
  const bookmarkIds = new Map<string, string>();
  const order = [...xmlNames].sort((a, b) => partRank(a) - partRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const name of order) {
    let xml = text(name);
    const before = xml;
    xml = xml.replace(/rId[A-Za-z0-9_-]{21}(?![A-Za-z0-9_-])/g, (id) => {
      if (!relIds.has(id)) relIds.set(id, `rIdL${relIds.size + 1}`);
      return relIds.get(id)!;
    });
    xml = xml.replace(/(<w:bookmark(?:Start|End)\b[^>]*?\bw:id=")(\d+)(")/g, (_all, open: string, id: string, close: string) => {
      if (!bookmarkIds.has(id)) bookmarkIds.set(id, String(bookmarkIds.size + 1));
      return `${open}${bookmarkIds.get(id)}${close}`;
    });
    // 4. docx puts a footnote mark into the separator "footnotes"; Word's own have none.
    if (name === "word/footnotes.xml") {
      xml = xml.replace(/(<w:footnote\b[^>]*w:type="(?:separator|continuationSeparator)"[^>]*>)([\s\S]*?)(<\/w:footnote>)/g, (_all, open: string, body: string, close: string) =>
        `${open}${body.replace(/<w:r>(?:<w:rPr>[\s\S]*?<\/w:rPr>)?<w:footnoteRef\/><\/w:r>/g, "")}${close}`,
      );
    }
    if (xml !== before) parts[name] = xml;
  }

  // 5. Zip again: [Content_Types].xml first, fixed times, no clock.
  const first = "[Content_Types].xml";
  return zipEntries(
    [first, ...names.filter((n) => n !== first)].filter((name) => parts[name]).map((name) => {
      const data = parts[name]!;
      return { name, data: typeof data === "string" ? strToU8(data) : data, store: COMPRESSED.test(name) };
    }),
    info.epoch,
  );
}

/**
 * docx's compiler: the package's parts (XML text, media bytes) before docx zips them. It is
 * internal to docx (package.json pins the version); going through `Packer.toBuffer` meant deflating
 * every part, inflating it again to rewrite it, and deflating it once more.
 */
function compilerOf(): { compile(doc: Document): Map<string, string | Uint8Array> } {
  const compiler = (Packer as unknown as { compiler?: { compile?: unknown } }).compiler;
  if (typeof compiler?.compile !== "function") throw new Error("docx no longer has Packer.compiler: the DOCX writer is made for docx 9.15 (see package.json)");
  return compiler as { compile(doc: Document): Map<string, string | Uint8Array> };
}

/** Parts in reading order, so ids are numbered as a reader meets them. */
function partRank(name: string): number {
  if (name === "word/document.xml") return 0;
  if (name === "word/_rels/document.xml.rels") return 1;
  if (name.startsWith("word/footnotes")) return 2;
  if (name.startsWith("word/_rels/footnotes")) return 3;
  return 4;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
