/**
 * Tables for print: a column whose body cells are all numbers (counts, shares, years) is set
 * flush to the end of the column with tabular figures, header included, so its digits line up;
 * the author's own alignment (`| ---: |`, the cells' `align`) wins. The rules, padding and the
 * other columns' alignment are print.css's.
 */
import type { Element, ElementContent } from "hast";
import { toString } from "hast-util-to-string";

/** A number as a table cell holds it: digits with separators, a sign, a unit such as % or a currency. */
const NUMERIC = /^[-+−–(]?[\p{Sc}]?\s*\d[\d\s.,’'\u00a0\u202f]*(\s*(%|‰|\p{Sc}))?\)?$/u;

function isElement(node: ElementContent): node is Element {
  return node.type === "element";
}

function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  for (const child of table.children.filter(isElement)) {
    if (child.tagName === "tr") rows.push(child);
    else if (["thead", "tbody", "tfoot"].includes(child.tagName)) rows.push(...child.children.filter(isElement).filter((r) => r.tagName === "tr"));
  }
  return rows;
}

function cellsOf(row: Element): Element[] {
  return row.children.filter(isElement).filter((c) => c.tagName === "td" || c.tagName === "th");
}

/** Marks the cells of numeric columns with the class `num` (in place). */
export function alignNumericColumns(nodes: readonly ElementContent[]): void {
  for (const node of nodes) {
    if (!isElement(node)) continue;
    if (node.tagName !== "table") {
      alignNumericColumns(node.children);
      continue;
    }
    const rows = rowsOf(node);
    const body = rows.filter((row) => cellsOf(row).some((c) => c.tagName === "td"));
    const columns = Math.max(0, ...rows.map((row) => cellsOf(row).length));
    for (let col = 0; col < columns; col++) {
      const values = body.map((row) => cellsOf(row)[col]).filter((c): c is Element => c !== undefined);
      const texts = values.map((c) => toString(c).trim()).filter((t) => t !== "");
      if (texts.length === 0 || !texts.every((t) => NUMERIC.test(t))) continue;
      for (const row of rows) {
        const cell = cellsOf(row)[col];
        if (!cell || cell.properties.align) continue;
        const classes = Array.isArray(cell.properties.className) ? cell.properties.className : [];
        cell.properties.className = [...classes, "num"];
      }
    }
  }
}
