/**
 * Letterpress's own wording in English, the source of every language's labels: the words the
 * writers add themselves ("Notes", "Back to reference 3", "Page 2 of 5" …). `labels.ts` resolves
 * them for an edition; `catalogue.ts` has them in the other UN languages.
 */

/** English source strings. `{n}`-style placeholders are filled by the writers. */
export const LABELS = {
  notes: "Notes",
  "back-to-reference": "Back to reference {n}",
  "back-to-reference-again": "Back to reference {n} (occurrence {k})",
  "note-reference": "Note {n}",
  signatories: "Signatories",
  organisations: "Organisations",
  individuals: "Individuals",
  "affiliations-note": "Affiliations listed for purposes of identification",
  "count-and": "{organisations} and {individuals}",
  "skip-to-content": "Skip to content",
  "page-of": "Page {page} of {pages}",
  contents: "Contents",
  editions: "Editions",
  "other-languages": "Other languages",
  "unofficial-translation": "Unofficial translation. The English text is the authoritative version.",
  /** Instead of `unofficial-translation` on an edition published with passages left in English (`--partial`). */
  "partial-translation": "Partial, unofficial translation: some passages are still in English. The English text is the authoritative version.",
  "all-editions": "All editions of this document",
  files: "Files",
  "delivery-mission": "Permanent Mission to the United Nations, New York",
  "delivery-to": "To",
  addressee: "To:",
  // Delivery (`letterpress deliver`): duty stations other than New York, the copy sent in another
  // language, and the email that carries a copy.
  "delivery-mission-geneva": "Permanent Mission to the United Nations Office at Geneva",
  "delivery-mission-vienna": "Permanent Mission to the United Nations Office at Vienna",
  "delivery-mission-nairobi": "Permanent Mission to the United Nations Office at Nairobi",
  "delivery-fallback": "This letter is not available in {language}.",
  "mail-subject": "Letter to the Permanent Mission: {title}",
  "mail-body": "Excellency,\n\nPlease find attached the letter “{title}”, addressed to your Permanent Mission.\n\nYours respectfully,\n{author}",
} as const;
export type LabelKey = keyof typeof LABELS;

/** Plural labels: English singular and plural. */
export const PLURAL_LABELS = {
  "count-organisations": ["{n} organisation", "{n} organisations"],
  "count-individuals": ["{n} individual", "{n} individuals"],
} as const;
export type PluralLabelKey = keyof typeof PLURAL_LABELS;

/** Text direction of an edition. */
export type Direction = "ltr" | "rtl";
