/**
 * Local images are read once, here, from the document's own folder (never outside it, never from
 * the network) and embedded as data: URLs, so every writer gets the bytes without touching the
 * file system and the HTML stays self-contained. SVG is refused: it can carry script.
 */
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { Image, Root } from "mdast";
import { visit } from "unist-util-visit";
import type { VFile } from "vfile";
import { protocolOf } from "../check/rules/links.ts";

const TYPES: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp" };
const MAX_BYTES = 5 * 1024 * 1024;

export async function embedImages(tree: Root, file: VFile, documentPath: string): Promise<void> {
  const images: Image[] = [];
  visit(tree, "image", (node) => {
    if (protocolOf(node.url) === undefined) images.push(node);
  });
  const folder = await realpath(path.dirname(documentPath));
  for (const image of images) {
    const fail = (reason: string) => {
      file.message(`Image \`${image.url}\` ${reason}; it is replaced by its alternative text`, {
        ...(image.position ? { place: image.position } : {}),
        ruleId: "image-file",
        source: "letterpress",
      }).fatal = true;
    };
    const type = TYPES[path.extname(image.url).toLowerCase()];
    if (!type) {
      fail(`is not PNG, JPEG, GIF or WebP`);
      continue;
    }
    try {
      const target = await realpath(path.resolve(folder, decodeURIComponent(image.url)));
      if (path.relative(folder, target).startsWith("..")) {
        fail("resolves outside the document's folder");
        continue;
      }
      if ((await stat(target)).size > MAX_BYTES) {
        fail(`is larger than ${MAX_BYTES / 1024 / 1024} MB`);
        continue;
      }
      image.url = `data:${type};base64,${(await readFile(target)).toString("base64")}`;
    } catch {
      fail("cannot be read");
    }
  }
}
