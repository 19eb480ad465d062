/**
 * GFM tables as Word tables: equal columns across the text width, a header row repeated on each
 * page, rows that do not split, thin borders, column alignment from the delimiter row.
 */
import { AlignmentType, Table, TableCell, TableRow, WidthType, type FileChild } from "docx";
import type { Table as MdTable } from "mdast";
import type { BlockContext, Handlers, State } from "../state.ts";
import { STYLE, TABLE_BORDER } from "../styles.ts";

function table(state: State, node: MdTable, ctx: BlockContext): FileChild[] {
  const columns = Math.max(1, ...node.children.map((row) => row.children.length));
  const width = Math.floor(state.textWidth() / columns);
  const align = (i: number) => {
    const a = node.align?.[i];
    return a === "center" ? AlignmentType.CENTER : a === "right" ? AlignmentType.END : a === "left" ? AlignmentType.START : undefined;
  };
  // Cells are written outside any list or quote; in a note, in the note's text style.
  const cellCtx: BlockContext = { style: ctx.inNote ? STYLE.footnoteText : undefined, inNote: ctx.inNote, quoteDepth: 0 };
  const rows = node.children.map(
    (row, r) =>
      new TableRow({
        tableHeader: r === 0,
        cantSplit: true,
        children: Array.from({ length: columns }, (_, c) => {
          const cell = row.children[c];
          const alignment = align(c);
          const runs = cell ? state.inlines(cell.children, r === 0 ? { bold: true } : {}, cellCtx) : [];
          return new TableCell({
            width: { size: width, type: WidthType.DXA },
            children: [state.paragraph(runs, cellCtx, { spacing: { after: 0 }, ...(alignment ? { alignment } : {}) })],
          });
        }),
      }),
  );
  const border = TABLE_BORDER;
  return [
    new Table({
      rows,
      width: { size: state.textWidth(), type: WidthType.DXA },
      columnWidths: Array.from({ length: columns }, () => width),
      borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
      ...(state.locale.rtl ? { visuallyRightToLeft: true } : {}),
    }),
  ];
}

export const tableHandlers = { table } satisfies Handlers["block"];
