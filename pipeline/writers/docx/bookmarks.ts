/**
 * Word bookmark names for the publication's anchor ids. Word accepts letters, digits and
 * underscores, at most 40 characters, starting with a letter (a leading underscore makes a hidden
 * bookmark, which Word uses for its own cross-reference targets). The mapping is a pure function
 * of the id, so the same heading has the same bookmark in every edition and every build.
 */

const MAX = 40;

/** Bookmark name of an anchor id: `why-it-matters` → `why_it_matters`. */
export function bookmarkName(id: string): string {
  let name = id.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  // The mapping is lossy when the id had anything but ASCII letters, digits and single hyphens.
  const lossy = name.replace(/_/g, "-") !== id;
  if (!/^[A-Za-z]/.test(name)) name = name ? `a_${name}` : "a";
  if (lossy || name.length > MAX) name = `${name.slice(0, MAX - 9).replace(/_+$/, "")}_${hash(id)}`;
  return name;
}

/**
 * Hidden bookmark around the first reference of note `number` (the real footnote), the target of
 * the `NOTEREF` fields that stand for its later references.
 */
export function noteReferenceBookmark(number: number): string {
  return `_fnref_${number}`;
}

/** 8 hex digits of FNV-1a over the UTF-16 code units: short, stable, no dependency. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
