/**
 * Document properties Chromium cannot write (it ignores `<meta name="author|keywords">`,
 * puppeteer#3054): Info dictionary, catalog `/Lang`, DisplayDocTitle, and an XMP packet with the
 * same facts. Every date is the publication's epoch, so the bytes are reproducible.
 */
import { PDFName, type PDFDocument } from "pdf-lib";
import type { Publication } from "../../../model.ts";

/** Fixed tool names: no version or time-dependent strings in the output. */
export const CREATOR = "Letterpress";
export const PRODUCER = "Letterpress PDF writer (Chromium, Paged.js, pdf-lib)";

export function applyMetadata(doc: PDFDocument, pub: Publication): void {
  const date = new Date(pub.epoch * 1000);
  const { meta } = pub;
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  if (meta.subject) doc.setSubject(meta.subject);
  // pdf-lib joins keywords with spaces, which merges multi-word keywords: join them ourselves.
  if (meta.keywords.length > 0) doc.setKeywords([meta.keywords.join(", ")]);
  doc.setCreator(CREATOR);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  doc.setLanguage(pub.lang);

  const xmp = doc.context.stream(xmpPacket(pub, date), { Type: "Metadata", Subtype: "XML" });
  doc.catalog.set(PDFName.of("Metadata"), doc.context.register(xmp));
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
