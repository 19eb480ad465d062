/**
 * XLIFF 2 core processing requirements that the core schema cannot express (unique ids, code
 * pairing, references to original data and notes, language and whitespace inheritance,
 * fragment identifiers, the Format Style and Validation modules' names). Each is checked on a
 * document that already passed the schema; `fail` is called with the element to locate.
 */
import { XmlElement, type XmlTreeNode } from "libxml2-wasm";

export const XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0";
const XML_NS = "http://www.w3.org/XML/1998/namespace";
const FS_NS = "urn:oasis:names:tc:xliff:fs:2.0";
const VAL_NS = "urn:oasis:names:tc:xliff:validation:2.0";
const MODULE_NS = /^urn:oasis:names:tc:xliff:(fs|sizerestriction|changetracking|glossary|matches|metadata|resourcedata|validation|its):2\.\d$|^http:\/\/www\.w3\.org\/2005\/11\/its$/;
const CODES = new Set(["pc", "sc", "ec", "ph"]);
const INLINE_WITH_ID = new Set(["pc", "sc", "ph", "mrk", "sm"]);
/** Fragment identifier prefixes: core, the modules', and the extensions registered with the TC (TBX). */
const FRAGMENT_PREFIXES = new Set(["f", "g", "u", "n", "d", "t", "mtc", "gls", "res", "slr", "val", "ctr", "mda", "tbx"]);
/** subType values the core defines, and the type each needs. */
const SUBTYPE_TYPES: Record<string, string> = { "xlf:lb": "fmt", "xlf:pb": "fmt", "xlf:b": "fmt", "xlf:i": "fmt", "xlf:u": "fmt", "xlf:var": "ui" };

export type Fail = (reason: string, element: XmlElement) => void;

function children(parent: XmlElement, name?: string, ns = XLIFF_NS): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n: XmlTreeNode | null = parent.firstChild; n; n = n.next) if (n instanceof XmlElement && n.namespaceUri === ns && (!name || n.name === name)) out.push(n);
  return out;
}

function descendants(parent: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n: XmlTreeNode | null = parent.firstChild; n; n = n.next) if (n instanceof XmlElement) out.push(n, ...descendants(n));
  return out;
}

const attr = (e: XmlElement, name: string, ns?: string) => e.attrs.find((a) => a.name === name && (ns ? a.namespaceUri === ns : !a.namespaceUri))?.value;

function wellFormedTag(tag: string): boolean {
  try {
    return new Intl.Locale(tag).toString().toLowerCase() === tag.toLowerCase();
  } catch {
    return false;
  }
}

function unique(items: Array<[string | undefined, XmlElement]>, what: string, fail: Fail) {
  const seen = new Set<string>();
  for (const [id, element] of items) {
    if (id === undefined) continue;
    if (seen.has(id)) fail(`${what} id \`${id}\` is not unique`, element);
    seen.add(id);
  }
}

export function checkXliffRules(root: XmlElement, fail: Fail): void {
  const srcLang = attr(root, "srcLang");
  const trgLang = attr(root, "trgLang");
  for (const [name, value] of [["srcLang", srcLang], ["trgLang", trgLang]] as const) {
    if (value !== undefined && !wellFormedTag(value)) fail(`${name} \`${value}\` is not a well-formed BCP 47 language tag`, root);
  }
  for (const e of [root, ...descendants(root)]) {
    const lang = attr(e, "lang", XML_NS);
    if (lang !== undefined && lang !== "" && !wellFormedTag(lang)) fail(`xml:lang \`${lang}\` is not a well-formed BCP 47 language tag`, e);
  }
  const files = children(root, "file");
  unique(files.map((f) => [attr(f, "id"), f]), "<file>", fail);
  checkExtensions(root, fail);
  for (const file of files) {
    const skeleton = children(file, "skeleton")[0];
    if (skeleton) {
      const empty = skeleton.firstChild === null || skeleton.content.trim() === "" && children(skeleton).length === 0 && !descendants(skeleton).length;
      if (attr(skeleton, "href") === undefined && empty) fail("<skeleton> without href must have content", skeleton);
      if (attr(skeleton, "href") !== undefined && !empty) fail("<skeleton> with href must be empty", skeleton);
    }
    const containers: XmlElement[] = [];
    const walk = (parent: XmlElement) => {
      for (const c of children(parent)) if (c.name === "group" || c.name === "unit") {
        containers.push(c);
        if (c.name === "group") walk(c);
      }
    };
    walk(file);
    unique(containers.map((c) => [attr(c, "id"), c]), "<group>/<unit>", fail);
    const unitIds = new Set(containers.filter((c) => c.name === "unit").map((c) => attr(c, "id")!));
    for (const scope of [file, ...containers]) {
      for (const notes of children(scope, "notes")) unique(children(notes, "note").map((n) => [attr(n, "id"), n]), "<note>", fail);
    }
    for (const unit of containers.filter((c) => c.name === "unit")) checkUnit(unit, { srcLang, trgLang, unitIds, fileId: attr(file, "id")! }, fail);
  }
}

/** Extension elements' ids unique within each; Format Style and Validation module names known. */
function checkExtensions(root: XmlElement, fail: Fail) {
  for (const e of descendants(root)) {
    const parentNs = (e.parent as XmlElement | null)?.namespaceUri;
    // Modules define their own id scopes (a match's source repeats the unit's code ids).
    if (e.namespaceUri !== XLIFF_NS && parentNs === XLIFF_NS && !MODULE_NS.test(e.namespaceUri)) {
      unique(descendants(e).map((d) => [attr(d, "id") ?? attr(d, "id", XML_NS), d]), `<${e.name}> extension element`, fail);
    }
    if (e.namespaceUri === VAL_NS && !["validation", "rule"].includes(e.name)) fail(`<${e.name}> is not an element of the Validation module`, e);
    for (const a of e.attrs) {
      if (a.namespaceUri === FS_NS) {
        if (a.name !== "fs" && a.name !== "subFs") fail(`fs:${a.name} is not an attribute of the Format Style module`, e);
        if (a.name === "fs" && !/^[a-z][a-z0-9]*$/.test(a.value)) fail(`fs:fs \`${a.value}\` is not an HTML element name`, e);
        if (e.name === "ec" && e.namespaceUri === XLIFF_NS && attr(e, "isolated") !== "yes") fail("Format Style attributes are not allowed on a non-isolated <ec>", e);
      }
      if (e.namespaceUri === XLIFF_NS && CODES.has(e.name) && a.namespaceUri && a.namespaceUri !== XML_NS && a.namespaceUri !== XLIFF_NS && !MODULE_NS.test(a.namespaceUri)) {
        fail(`<${e.name}> allows module attributes only, not ${a.prefix ?? a.namespaceUri}:${a.name}`, e);
      }
    }
  }
}

interface UnitContext {
  srcLang: string | undefined;
  trgLang: string | undefined;
  unitIds: Set<string>;
  fileId: string;
}

function checkUnit(unit: XmlElement, context: UnitContext, fail: Fail) {
  const parts = children(unit).filter((e) => e.name === "segment" || e.name === "ignorable");
  if (!parts.some((p) => p.name === "segment")) fail("<unit> must have at least one <segment>", unit);
  const unitId = attr(unit, "id")!;
  const dataIds = new Set<string>();
  for (const original of children(unit, "originalData")) {
    const data = children(original, "data");
    unique(data.map((d) => [attr(d, "id"), d]), "<data>", fail);
    for (const d of data) dataIds.add(attr(d, "id")!);
  }
  const noteIds = new Set(children(unit, "notes").flatMap((n) => children(n, "note").map((x) => attr(x, "id"))).filter((x): x is string => !!x));
  const sources = parts.map((p) => children(p, "source")[0]!);
  const targets = parts.map((p) => children(p, "target")[0]);
  if (targets.some(Boolean) && context.trgLang === undefined) fail("A <target> requires trgLang on <xliff>", targets.find(Boolean)!);

  // Languages and whitespace, inherited.
  const inherited = (e: XmlElement, name: string): string | undefined => {
    for (let x: XmlElement | null = e; x; x = x.parent) {
      const v = attr(x, name, XML_NS);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  parts.forEach((part, i) => {
    const source = sources[i]!;
    const target = targets[i];
    const sl = inherited(source, "lang");
    if (sl !== undefined && context.srcLang !== undefined && sl.toLowerCase() !== context.srcLang.toLowerCase()) fail(`<source> is in \`${sl}\` but srcLang is \`${context.srcLang}\``, source);
    if (target) {
      const tl = inherited(target, "lang");
      if (tl !== undefined && context.trgLang !== undefined && tl.toLowerCase() !== context.trgLang.toLowerCase()) fail(`<target> is in \`${tl}\` but trgLang is \`${context.trgLang}\``, target);
      if ((inherited(source, "space") ?? "default") !== (inherited(target, "space") ?? "default")) fail("<target> must have the same xml:space as its <source>", target);
    }
    if (attr(part, "subState") !== undefined && attr(part, "state") === undefined) fail("subState requires state", part);
  });

  // Ids: segments, ignorables and source codes share one scope; a target's codes another.
  const sourceInline = sources.flatMap((s) => descendants(s).filter((e) => e.namespaceUri === XLIFF_NS));
  unique(
    [...parts.map((p) => [attr(p, "id"), p] as [string | undefined, XmlElement]), ...sourceInline.filter((e) => INLINE_WITH_ID.has(e.name) || (e.name === "ec" && attr(e, "isolated") === "yes")).map((e) => [attr(e, "id"), e] as [string | undefined, XmlElement])],
    "<segment>/<ignorable>/inline",
    fail,
  );
  for (const t of targets) if (t) unique(descendants(t).filter((e) => INLINE_WITH_ID.has(e.name)).map((e) => [attr(e, "id"), e]), "inline (target)", fail);

  // Order of targets.
  const orders = new Map<number, XmlElement>();
  targets.forEach((t, i) => {
    if (!t) return;
    const order = Number(attr(t, "order") ?? i + 1);
    if (order > parts.length) fail(`order ${order} is beyond the unit's ${parts.length} segments and ignorables`, t);
    if (orders.has(order)) fail(`order ${order} is used twice in the unit`, t);
    orders.set(order, t);
  });

  const sourceCodes = new Map(sourceInline.filter((e) => CODES.has(e.name) && attr(e, "id")).map((e) => [attr(e, "id")!, e]));
  for (const content of [sources, targets.filter((t): t is XmlElement => !!t)]) {
    const inline = content.flatMap((s) => descendants(s).filter((e) => e.namespaceUri === XLIFF_NS));
    checkCodes(inline, { dataIds, noteIds, unitId, context, sourceCodes }, fail);
  }

  // Codes that cannot be reordered keep their sequence (pc start and end included) in each target.
  parts.forEach((_, i) => {
    const target = targets[i];
    if (!target) return;
    const a = fixedSequence(sources[i]!);
    const b = fixedSequence(target);
    if (a.join(" ") !== b.join(" ")) fail(`Codes with canReorder="firstNo"/"no" are reordered in the target (${a.join(" ")} → ${b.join(" ")})`, target);
  });

  // Codes that cannot be deleted: present in the unit's targets if their segment has one.
  const targetIds = new Set(targets.flatMap((t) => (t ? descendants(t).map((e) => attr(e, "id") ?? attr(e, "startRef")) : [])));
  parts.forEach((_, i) => {
    if (!targets[i]) return;
    for (const code of descendants(sources[i]!).filter((e) => CODES.has(e.name) && attr(e, "canDelete") === "no")) {
      const id = attr(code, "id") ?? attr(code, "startRef");
      if (!targetIds.has(id)) fail(`Code \`${id}\` has canDelete="no" but is missing from the target`, targets[i]!);
    }
  });
}

/** The sequence of codes that cannot be reordered, with the end of each `<pc>` as its own event. */
function fixedSequence(content: XmlElement): string[] {
  const out: string[] = [];
  const walk = (parent: XmlElement) => {
    for (let n: XmlTreeNode | null = parent.firstChild; n; n = n.next) {
      if (!(n instanceof XmlElement) || n.namespaceUri !== XLIFF_NS) continue;
      const fixed = CODES.has(n.name) && (attr(n, "canReorder") ?? "yes") !== "yes";
      const id = attr(n, "id") ?? attr(n, "startRef");
      if (fixed) out.push(`${n.name}:${id}`);
      walk(n);
      if (fixed && n.name === "pc") out.push(`/pc:${id}`);
    }
  };
  walk(content);
  return out;
}

interface CodeContext {
  dataIds: Set<string>;
  noteIds: Set<string>;
  unitId: string;
  context: UnitContext;
  sourceCodes: Map<string, XmlElement>;
}

function checkCodes(inline: XmlElement[], c: CodeContext, fail: Fail) {
  const open = new Map<string, XmlElement>();
  const openMarkers = new Set<string>();
  let previousReorder: string | undefined;
  for (const e of inline) {
    const a = (name: string) => attr(e, name);
    for (const ref of ["dataRef", "dataRefStart", "dataRefEnd"]) {
      const v = a(ref);
      if (v !== undefined && !c.dataIds.has(v)) fail(`${ref} \`${v}\` matches no <data> of the unit`, e);
    }
    for (const ref of ["subFlows", "subFlowsStart", "subFlowsEnd"]) {
      const v = a(ref);
      if (v !== undefined) for (const id of v.split(/\s+/)) if (!c.context.unitIds.has(id)) fail(`${ref} \`${id}\` is not a unit of the file`, e);
    }
    if (a("subType") !== undefined && a("type") === undefined) fail("subType requires type", e);
    const needed = SUBTYPE_TYPES[a("subType") ?? ""];
    if (needed && a("type") !== needed) fail(`subType ${a("subType")} requires type="${needed}"`, e);
    const copyOf = a("copyOf");
    if (copyOf !== undefined) {
      const base = c.sourceCodes.get(copyOf);
      if (!base) fail(`copyOf \`${copyOf}\` matches no code of the unit`, e);
      else if (attr(base, "canCopy") === "no") fail(`copyOf \`${copyOf}\`: that code has canCopy="no"`, e);
      if (a("dataRef") !== undefined || a("dataRefStart") !== undefined) fail("A code with copyOf must not refer to original data", e);
    }
    if (e.name === "cp") {
      const code = parseInt(a("hex") ?? "0", 16);
      const xmlChar = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
      if (xmlChar) fail(`<cp hex="${a("hex")}"> encodes a character XML allows; write the character`, e);
    }
    if (CODES.has(e.name)) {
      const reorder = a("canReorder") ?? "yes";
      if (reorder !== "yes" && (a("canCopy") !== "no" || a("canDelete") !== "no")) fail(`canReorder="${reorder}" requires canCopy="no" and canDelete="no"`, e);
      if (e.name !== "ec") {
        if (reorder === "no" && previousReorder !== "firstNo" && previousReorder !== "no") fail('canReorder="no" must follow a code with canReorder="firstNo"', e);
        previousReorder = reorder;
      }
    }
    if (e.name === "mrk" && a("type") === "comment") {
      const value = a("value");
      const ref = a("ref");
      if ((value === undefined) === (ref === undefined)) fail("A comment annotation has either value or ref", e);
      if (ref !== undefined) {
        const leaf = ref.startsWith("#") ? fragmentLeaf(ref, c) : undefined;
        if (!leaf || leaf.prefix !== "n" || !c.noteIds.has(leaf.id)) fail(`ref \`${ref}\` is not a note of this unit`, e);
      }
    }
    if ((e.name === "mrk" || e.name === "sm") && a("ref")?.startsWith("#")) {
      const problem = fragmentProblem(a("ref")!);
      if (problem) fail(`ref \`${a("ref")}\`: ${problem}`, e);
    }
    if (e.name === "sc") {
      if (a("isolated") !== "yes") open.set(a("id")!, e);
    }
    if (e.name === "ec") {
      if (a("isolated") === "yes") {
        if (a("id") === undefined || a("startRef") !== undefined) fail('An isolated <ec> has id, not startRef', e);
      } else {
        const start = a("startRef");
        if (start === undefined || a("id") !== undefined) fail("A non-isolated <ec> has startRef and no id", e);
        const sc = start !== undefined ? open.get(start) : undefined;
        if (start !== undefined && !sc) fail(`<ec startRef="${start}"> has no <sc> before it in the unit`, e);
        if (sc) {
          open.delete(start!);
          for (const name of ["canCopy", "canDelete", "canOverlap"]) {
            if ((attr(sc, name) ?? (name === "canOverlap" ? "yes" : "yes")) !== (a(name) ?? "yes")) fail(`<ec> must have the same ${name} as its <sc>`, e);
          }
          const scReorder = attr(sc, "canReorder") ?? "yes";
          const ecReorder = a("canReorder") ?? "yes";
          if ((scReorder === "firstNo" ? "no" : scReorder) !== ecReorder) fail(`<ec> canReorder must be "${scReorder === "firstNo" ? "no" : scReorder}" for its <sc>`, e);
        }
      }
    }
    if (e.name === "sm") openMarkers.add(a("id")!);
    if (e.name === "em") {
      if (!openMarkers.delete(a("startRef") ?? "")) fail(`<em startRef="${a("startRef")}"> has no <sm> before it in the unit`, e);
    }
  }
  for (const sc of open.values()) fail(`<sc id="${attr(sc, "id")}"> has no <ec> in the unit; mark it isolated="yes"`, sc);
  for (const id of openMarkers) {
    const sm = inline.find((e) => e.name === "sm" && attr(e, "id") === id)!;
    fail(`<sm id="${id}"> has no <em> in the unit`, sm);
  }
  for (const e of inline) if (e.name === "sc" && attr(e, "isolated") === "yes" && inline.some((x) => x.name === "ec" && attr(x, "startRef") === attr(e, "id"))) fail(`<sc id="${attr(e, "id")}"> is isolated but its <ec> is in the unit`, e);
}

/** The selectors of a fragment identifier (`#/f=f1/u=1/n=n1`), or a reason it is malformed. */
function parseFragment(ref: string): Array<{ prefix: string | undefined; id: string }> | string {
  const body = ref.slice(1).replace(/^\//, "");
  const parts = body.split("/");
  const selectors: Array<{ prefix: string | undefined; id: string }> = [];
  for (const part of parts) {
    const match = /^(?:([^=]+)=)?([^=]+)$/.exec(part);
    if (!match) return `\`${part}\` is not a selector`;
    const prefix = match[1];
    if (prefix !== undefined) {
      if (!/^[A-Za-z0-9._:-]+$/.test(prefix)) return `prefix \`${prefix}\` is not an NMTOKEN`;
      if (!FRAGMENT_PREFIXES.has(prefix)) return prefix.length === 1 ? `\`${prefix}\` is not a reserved one-letter prefix` : `prefix \`${prefix}\` is not registered`;
    }
    selectors.push({ prefix, id: match[2]! });
  }
  if (selectors.some((s) => s.prefix === undefined) && selectors.length > 1) return "an id without prefix must be the only selector";
  const rank = (p: string | undefined) => (p === "f" ? 0 : p === "g" || p === "u" ? 1 : 2);
  const seen = new Set<string>();
  for (let i = 0; i < selectors.length; i++) {
    const p = selectors[i]!.prefix ?? "";
    if (seen.has(p)) return `prefix \`${p}\` appears twice`;
    seen.add(p);
    if (i > 0 && rank(selectors[i]!.prefix) < rank(selectors[i - 1]!.prefix)) return "selectors are out of order (file, then group or unit, then the leaf)";
    if (rank(selectors[i]!.prefix) === 2 && i < selectors.length - 1) return `\`${p}=\` must be the last selector`;
  }
  return selectors;
}

function fragmentProblem(ref: string): string | undefined {
  const parsed = parseFragment(ref);
  return typeof parsed === "string" ? parsed : undefined;
}

/** The leaf selector of a fragment identifier that points inside this unit. */
function fragmentLeaf(ref: string, c: CodeContext): { prefix: string | undefined; id: string } | undefined {
  const parsed = parseFragment(ref);
  if (typeof parsed === "string") return undefined;
  const leaf = parsed[parsed.length - 1]!;
  const file = parsed.find((s) => s.prefix === "f");
  const unit = parsed.find((s) => s.prefix === "u");
  if (parsed.some((s) => s.prefix === "g")) return undefined;
  if (file && (file.id !== c.context.fileId || !unit)) return undefined;
  if (unit && unit.id !== c.unitId) return undefined;
  return leaf;
}
