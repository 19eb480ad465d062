import { describe, expect, it } from "vitest";
import { VFile } from "vfile";
import { parseMarkdown } from "../pipeline/parse/markdown.ts";
import { computeFacts } from "../pipeline/transform/facts.ts";

function facts(markdown: string) {
  const file = new VFile({ path: "doc.md", value: markdown });
  const { tree } = parseMarkdown(file);
  return computeFacts(tree);
}

describe("footnote numbering", () => {
  it("numbers by first reference, not by definition order", () => {
    const f = facts("---\nlang: en\n---\nA[^b] then B[^a].\n\n[^a]: Alpha.\n[^b]: Beta.\n");
    expect(f.footnotes.map((n) => [n.label, n.number, n.id])).toEqual([
      ["b", 1, "fn-1"],
      ["a", 2, "fn-2"],
    ]);
  });

  it("gives a repeated reference the same number and its own reference id", () => {
    const f = facts("---\nlang: en\n---\nOne[^x], two[^y], again[^x].\n\n[^x]: X.\n[^y]: Y.\n");
    expect(f.footnotes.map((n) => n.number)).toEqual([1, 2]);
    expect(f.footnotes[0]!.refIds).toEqual(["fnref-1", "fnref-1-2"]);
    expect(f.footnotes[1]!.refIds).toEqual(["fnref-2"]);
  });

  it("accepts non-numeric labels case-insensitively and keeps ids ASCII", () => {
    const f = facts("---\nlang: en\n---\nText[^Report-2019] and[^注一].\n\n[^report-2019]: R.\n[^注一]: N.\n");
    expect(f.footnotes.map((n) => n.id)).toEqual(["fn-1", "fn-2"]);
    expect(f.footnotes[0]!.label).toBe("Report-2019");
  });

  it("numbers a reference inside a note after all references in the body", () => {
    const f = facts("---\nlang: en\n---\nA[^a] B[^b].\n\n[^a]: See also[^c].\n[^b]: B.\n[^c]: C.\n");
    expect(f.footnotes.map((n) => `${n.label}=${n.number}`)).toEqual(["a=1", "b=2", "c=3"]);
  });

  it("leaves unreferenced definitions unnumbered", () => {
    const f = facts("---\nlang: en\n---\nA[^a].\n\n[^a]: A.\n[^unused]: U.\n");
    expect(f.footnotes).toHaveLength(1);
    expect(f.definitions.has("unused")).toBe(true);
  });

  it("gives headings GitHub-compatible slugs and de-duplicates them", () => {
    const f = facts("---\nlang: en\n---\n# Title\n\n## Why it matters?\n\n## Why it matters?\n\n## Notes\n");
    expect(f.headings.map((h) => h.id)).toEqual(["title", "why-it-matters", "why-it-matters-1", "notes-1"]);
  });
});
