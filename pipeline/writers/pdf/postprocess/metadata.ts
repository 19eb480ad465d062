/**
 * Document properties Chromium cannot write (it ignores `<meta name="author|keywords">`,
 * puppeteer#3054): Info dictionary, catalog `/Lang`, DisplayDocTitle, and an XMP packet with the
 * same facts. Every date is the publication's epoch, so the bytes are reproducible. Written into
 * the incremental update (`incremental.ts`).
 */
import type { Publication } from "../../../model.ts";
import { date, dictionary, literal, name, raw, reference, text, type PdfUpdate, type Value } from "./incremental.ts";

/** Fixed tool names: no version or time-dependent strings in the output. */
export const CREATOR = "Letterpress";
export const PRODUCER = "Letterpress PDF writer (Chromium)";

/** New versions of the Info dictionary (Chromium's entries kept unless replaced) and the catalog, and a new XMP stream. */
export function updateMetadata(file: PdfUpdate, pub: Publication): void {
  const when = new Date(pub.epoch * 1000);
  const { meta } = pub;
  const infoRef = file.trailer.get("Info")?.ref;
  const info = infoRef ? file.dict(infoRef) : new Map<string, Value>();
  // Chromium's dictionary stays in the file as the earlier revision, with the clock's dates:
  // overwrite them there too, or no two builds would be byte-identical.
  for (const key of ["CreationDate", "ModDate"]) {
    const old = info.get(key);
    if (old) file.overwrite(old, date(when).raw);
  }
  info.set("Title", text(meta.title));
  info.set("Author", text(meta.author));
  if (meta.subject) info.set("Subject", text(meta.subject));
  // One string, comma-separated: a multi-word keyword stays one keyword.
  if (meta.keywords.length > 0) info.set("Keywords", text(meta.keywords.join(", ")));
  info.set("Creator", text(CREATOR));
  info.set("Producer", text(PRODUCER));
  info.set("CreationDate", date(when));
  info.set("ModDate", date(when));
  const infoAt = infoRef ?? file.add();
  file.set(infoAt, info);
  file.trailer.set("Info", reference(infoAt));

  const xmp = file.add();
  file.set(xmp, new Map([["Type", name("Metadata")], ["Subtype", name("XML")]]), new TextEncoder().encode(xmpPacket(pub, when)));

  const catalog = file.dict(file.root);
  const preferences = catalog.get("ViewerPreferences");
  // The title bar shows the title, not the file name.
  catalog.set("ViewerPreferences", dictionary(new Map(preferences ? file.resolve(preferences) : []).set("DisplayDocTitle", raw("true"))));
  catalog.set("Lang", literal(pub.lang));
  catalog.set("Metadata", reference(xmp));
  file.set(file.root, catalog);
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function xmpPacket(pub: Publication, date: Date): string {
  const { meta } = pub;
  const iso = date.toISOString().replace(/\.\d{3}Z$/, "Z");
  const lang = xml(pub.lang);
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(meta.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>${xml(meta.author)}</rdf:li></rdf:Seq></dc:creator>
${meta.subject ? `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(meta.subject)}</rdf:li></rdf:Alt></dc:description>\n` : ""}<dc:language><rdf:Bag><rdf:li>${lang}</rdf:li></rdf:Bag></dc:language>
${meta.keywords.length ? `<dc:subject><rdf:Bag>${meta.keywords.map((k) => `<rdf:li>${xml(k)}</rdf:li>`).join("")}</rdf:Bag></dc:subject>\n<pdf:Keywords>${xml(meta.keywords.join(", "))}</pdf:Keywords>\n` : ""}<pdf:Producer>${xml(PRODUCER)}</pdf:Producer>
<xmp:CreatorTool>${xml(CREATOR)}</xmp:CreatorTool>
<xmp:CreateDate>${iso}</xmp:CreateDate>
<xmp:ModifyDate>${iso}</xmp:ModifyDate>
<xmp:MetadataDate>${iso}</xmp:MetadataDate>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
