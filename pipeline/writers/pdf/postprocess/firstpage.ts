/**
 * A delivery copy without printing it whole. The copies of an edition differ in their address
 * block, on the first page, and are laid out alike (a copy whose block would change height is
 * printed on its own), so a copy is the edition's print with its first page drawn by the copy's
 * own print of that page alone: Chromium draws the page the same way whichever pages it prints,
 * under the same resource names. The page's content stream and its fonts (subset to the glyphs of
 * that page) are taken over; the edition's structure tree, annotations, outline and other pages
 * stay as they are, and describe the copy as well (its marked content is the same, which is
 * checked).
 */
import { dictionary, PdfUpdate, reference, refsIn, replaceRefs, UnsupportedPdf, type Dict, type Ref } from "./incremental.ts";
import type { PostprocessReuse } from "./reuse.ts";

interface FirstPage {
  ref: Ref;
  page: Dict;
  content: Ref;
  resources: Dict;
}

function firstPage(file: PdfUpdate): FirstPage | undefined {
  const pages = file.dict(file.root).get("Pages");
  if (!pages?.ref) return undefined;
  let ref = pages.ref;
  let page = file.dict(ref);
  let resources = page.get("Resources");
  while (page.get("Type")?.raw === "/Pages") {
    const kid = refsIn(page.get("Kids"))[0];
    if (!kid) return undefined;
    ref = kid;
    page = file.dict(kid);
    resources = page.get("Resources") ?? resources;
  }
  const contents = refsIn(page.get("Contents"));
  if (contents.length !== 1 || !resources) return undefined;
  return { ref, page, content: contents[0]!, resources: file.resolve(resources) };
}

/** The marked-content sequences a content stream opens, in order (`/P <</MCID 3 >>BDC`). */
function markedContent(text: string): string {
  return [...text.matchAll(/\/(\w+)\s*<<\s*\/MCID\s+(\d+)\s*>>\s*BDC/g)].map((m) => `${m[1]} ${m[2]}`).join(",");
}

/** The resource names a page's dictionary gives, by kind, fonts aside. */
function names(resources: Dict): string {
  return [...resources]
    .filter(([kind]) => kind !== "Font")
    .map(([kind, value]) => `${kind}:${value.dict ? [...value.dict.keys()].sort().join(",") : value.raw}`)
    .sort()
    .join(";");
}

/**
 * Copy object `ref` of `from`, and every object it refers to, into `into` under new numbers. The
 * objects copied are a page's fonts (dictionaries, arrays of numbers and names, font files): a
 * reference is any `n g R` in their text.
 */
function copyObject(from: PdfUpdate, ref: Ref, into: PdfUpdate, copied: Map<number, Ref>): Ref {
  const done = copied.get(ref.num);
  if (done) return done;
  const target = into.add();
  copied.set(ref.num, target);
  let dict: Dict;
  let data: Buffer | undefined;
  try {
    dict = from.dict(ref);
  } catch {
    ({ dict, data } = from.stream(ref));
  }
  const out: Dict = new Map();
  for (const [key, value] of dict) {
    if (data && key === "Length") continue;
    out.set(key, replaceRefs(value, (ref) => copyObject(from, ref, into, copied)));
  }
  into.set(target, out, data);
  return target;
}

/**
 * The edition's print (`edition`) with its first page drawn as in `copyFirstPage` (the copy's
 * print of its first page alone), or undefined when the two pages do not name the same
 * resources or open different marked content. With the `reuse` of the copies' post-processing,
 * the streams read here are inflated once for both.
 */
export function swapFirstPage(edition: Uint8Array, copyFirstPage: Uint8Array, reuse: PostprocessReuse): Uint8Array | undefined {
  try {
    const file = new PdfUpdate(edition);
    const from = new PdfUpdate(copyFirstPage);
    const own = firstPage(file);
    const copy = firstPage(from);
    if (!own || !copy || names(own.resources) !== names(copy.resources)) return undefined;
    // The edition's structure tree points into the page's marked content: it must be the same.
    const ownText = reuse.decoded(file, own.content)?.text;
    const copyText = reuse.decoded(from, copy.content)?.text;
    if (ownText === undefined || copyText === undefined || markedContent(ownText) !== markedContent(copyText)) return undefined;
    const copied = new Map<number, Ref>();
    const fonts: Dict = new Map();
    for (const [key, value] of copy.resources.get("Font") ? from.resolve(copy.resources.get("Font")!) : new Map()) {
      if (!value.ref) return undefined;
      fonts.set(key, reference(copyObject(from, value.ref, file, copied)));
    }
    const resources = new Map(own.resources).set("Font", dictionary(fonts));
    const content = copyObject(from, copy.content, file, copied);
    const page = new Map(own.page)
      .set("Resources", dictionary(resources))
      .set("Contents", reference(content));
    file.set(own.ref, page);
    return file.save();
  } catch (error) {
    if (error instanceof UnsupportedPdf) return undefined;
    throw error;
  }
}
