import { symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadDocument } from "../pipeline/load.ts";
import { FRONT, project } from "./helpers.ts";

/** Load a one-file project and list its messages as `line:column severity rule: reason`. */
async function messages(markdown: string, extra: Record<string, string> = {}) {
  const dir = await project({ "doc.md": markdown, ...extra });
  const { files } = await loadDocument(path.join(dir, "doc.md"));
  return files.flatMap((f) =>
    f.messages.map((m) => ({
      file: path.basename(f.path),
      at: `${m.line}:${m.column}`,
      severity: m.fatal ? "error" : "warning",
      rule: m.ruleId,
      reason: m.reason,
    })),
  );
}

describe("checks", () => {
  it("reports a footnote reference without definition at its column", async () => {
    const list = await messages(`${FRONT}Some text[^missing] here.\n`);
    expect(list).toEqual([
      {
        file: "doc.md",
        at: "7:10",
        severity: "error",
        rule: "footnote-undefined",
        reason: "Footnote reference `[^missing]` has no definition; add `[^missing]: …`",
      },
    ]);
  });

  it("reports duplicate, empty and unused definitions", async () => {
    const list = await messages(`${FRONT}A[^a] and B[^e].\n\n[^a]: One.\n[^a]: Two.\n[^e]:\n[^u]: Unused.\n`);
    expect(list.map((m) => `${m.at} ${m.severity} ${m.rule}`)).toEqual([
      "10:1 error footnote-duplicate",
      "11:1 error footnote-empty",
      "12:1 warning footnote-unused",
    ]);
    expect(list.find((m) => m.rule === "footnote-duplicate")?.reason).toBe("Duplicate footnote definition `[^a]` (first defined on line 9)");
  });

  it("reports empty and # links", async () => {
    const list = await messages(`${FRONT}See [the report]() and [the database](#).\n`);
    expect(list.map((m) => `${m.at} ${m.rule}`)).toEqual(["7:5 link-empty", "7:24 link-empty"]);
    expect(list[1]!.reason).toBe("Link `the database` has no target (`#`); give it a real address or remove the link");
  });

  it("reports internal links to ids that do not exist, suggesting near ones", async () => {
    const list = await messages(`${FRONT}## Background\n\nSee [above](#backgroun) and [notes](#fn-1).\n`);
    expect(list.map((m) => `${m.at} ${m.severity} ${m.rule}`)).toEqual(["9:5 error link-anchor", "9:29 error link-anchor"]);
    expect(list[0]!.reason).toBe("Link to `#backgroun` points to no heading or note; did you mean `#background`?");
  });

  it("resolves links to heading slugs and notes", async () => {
    const list = await messages(`${FRONT}## Background\n\nSee [above](#background) and [the note](#fn-1)[^a].\n\n[^a]: Note.\n`);
    expect(list).toEqual([]);
  });

  it("warns about malformed UN symbols and suggests the fix", async () => {
    const list = await messages(`${FRONT}Resolution A/C.3/74/L/11/Rev.1 and [A/HRC/41/41](https://undocs.org/A/HRC/41/41).\n`);
    expect(list).toEqual([
      {
        file: "doc.md",
        at: "7:12",
        severity: "warning",
        rule: "un-symbol",
        reason:
          "UN document symbol `A/C.3/74/L/11/Rev.1` looks malformed: the document type `L` must be joined to its number with a dot; did you mean `A/C.3/74/L.11/Rev.1`?",
      },
    ]);
  });

  it("accepts well-formed UN symbols", async () => {
    const list = await messages(`${FRONT}A/C.3/74/L.11/Rev.1, A/C.3/72/12, A/HRC/41/41, S/RES/2334 and E/CN.4/2005/L.10/Add.11.\n`);
    expect(list).toEqual([]);
  });

  it("requires exactly one title", async () => {
    expect((await messages("---\nlang: en\n---\n\nText.\n")).map((m) => `${m.at} ${m.rule}`)).toEqual(["5:1 heading-title"]);
    expect((await messages(`${FRONT}# Second\n`)).map((m) => `${m.at} ${m.rule}`)).toEqual(["7:1 heading-title"]);
  });

  it("reports malformed front matter at its line", async () => {
    const list = await messages("---\nlang: en\ntitel: Oops\n---\n\n# T\n");
    expect(list).toEqual([
      { file: "doc.md", at: "3:1", severity: "error", rule: "front-matter", reason: "Unknown field `titel`; did you mean `title`?" },
    ]);
    const syntax = await messages("---\nlang: [en\n---\n\n# T\n");
    // At the bracket left open, not at the end of the line where the parser gave up.
    expect(syntax[0]).toMatchObject({ at: "2:7", severity: "error", rule: "yaml-syntax" });
  });

  it("reports signatory data errors at the YAML line", async () => {
    const doc = "---\nlang: en\nsignatories: people.yaml\n---\n\n# T\n\n<!-- signatories -->\n";
    const list = await messages(doc, {
      "people.yaml": "organisations:\n  - name: Access Now\n  - nmae: Typo Org\n  - name: ACCESS  now!\n  - name: Électronique Org (EO)\n  - name: Electronique org\nindividuals:\n  - affiliation: Nobody\n",
    });
    expect(list.map((m) => `${m.file} ${m.at} ${m.rule}: ${m.reason}`)).toEqual([
      // One mistake, one message: the misspelt `nmae` is not also a missing `name`.
      "people.yaml 3:5 signatory-schema: Unknown field `nmae` (at organisations[1]); did you mean `name`?",
      "people.yaml 8:5 signatory-schema: Missing required field `name` (at individuals[0].name)",
    ]);
    const dupes = await messages(doc, {
      "people.yaml": "organisations:\n  - name: Access Now\n  - name: ACCESS  now!\n  - name: Électronique Org (EO)\n  - name: Electronique org\n",
    });
    expect(dupes.map((m) => `${m.file} ${m.at} ${m.rule}`)).toEqual([
      "people.yaml 3:11 signatory-duplicate",
      "people.yaml 5:11 signatory-duplicate",
    ]);
    expect(dupes[0]!.reason).toContain("same as `Access Now` at line 2");
  });

  it("warns about raw HTML and rejects unsafe links", async () => {
    const list = await messages(`${FRONT}<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![i](https://example.org/a.png)\n`);
    expect(list.map((m) => `${m.at} ${m.severity} ${m.rule}`)).toEqual([
      "7:1 warning raw-html",
      "9:1 warning link-unsafe",
      "9:26 warning image-remote",
    ]);
  });

  it("reports an empty document and invalid UTF-8", async () => {
    expect((await messages("---\nlang: en\n---\n")).map((m) => m.rule)).toEqual(["document-empty"]);
    const dir = await project({ "doc.md": Buffer.from([...Buffer.from("---\nlang: en\n---\n# T\ncaf"), 0xe9, 0x0a]) });
    const { files } = await loadDocument(path.join(dir, "doc.md"));
    expect(files[0]!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(["5:1 encoding"]);
  });

  it("reads BOM and CRLF input like plain LF", async () => {
    const list = await messages(`\uFEFF${FRONT}Text[^a].\n\n[^a]: Note.\n`.replace(/\n/g, "\r\n"));
    expect(list).toEqual([]);
  });
});

describe("local images", () => {
  it("reads an image from the document's folder once, keeps its name in the tree, and refuses one outside it", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const dir = await project({ "doc.md": `${FRONT}![A dot](dot.png)\n\n![Secret](../outside.png)\n\n![Link](evil.png)\n`, "dot.png": png });
    await symlink("/etc/passwd", path.join(dir, "evil.png"));
    const { doc, files } = await loadDocument(path.join(dir, "doc.md"));
    const messages = files[0]!.messages.map((m) => `${m.line}:${m.column} ${m.fatal ? "error" : "warning"} ${m.ruleId}`);
    expect(messages).toEqual(["9:1 warning image-unsafe", "11:1 error image-file"]);
    expect(files[0]!.messages[1]!.reason).toBe("Image `evil.png` resolves outside the document's folder; it is replaced by its alternative text");
    const urls: string[] = [];
    const walk = (n: { type: string; url?: string; children?: unknown[] }) => {
      if (n.type === "image") urls.push(n.url!.slice(0, 22));
      for (const c of (n.children ?? []) as never[]) walk(c);
    };
    walk(doc!.tree as never);
    expect(urls[0]).toBe("dot.png");
    const image = doc!.images.get("dot.png")!;
    expect([image.mediaType, image.width, image.height, Buffer.from(image.data).equals(png)]).toEqual(["image/png", 1, 1, true]);
    expect([...doc!.images.keys()]).toEqual(["dot.png"]);
  });
});
