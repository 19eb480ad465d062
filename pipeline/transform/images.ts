/**
 * Local images are read once, here, from the document's own folder (never outside it, never from
 * the network), and kept beside the tree as resources keyed by the URL the author wrote. The tree
 * keeps that URL (`![Logo](logo.png)`): translators see the file name in a segment, not its
 * bytes, and a translated paragraph that keeps the image finds the same resource. Writers take
 * the bytes from the edition (`Publication.images`) and never touch the file system. SVG is
 * refused: it can carry script.
 */
import { createHash } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { imageSize } from "image-size";
import type { Image, Root } from "mdast";
import { visit } from "unist-util-visit";
import type { VFile } from "vfile";
import { base64Of } from "../base64.ts";
import type { ImageResource } from "../model.ts";
import { protocolOf } from "../policy.ts";

const TYPES: Record<string, { mediaType: string; extension: ImageResource["extension"] }> = {
  ".png": { mediaType: "image/png", extension: "png" },
  ".jpg": { mediaType: "image/jpeg", extension: "jpg" },
  ".jpeg": { mediaType: "image/jpeg", extension: "jpg" },
  ".gif": { mediaType: "image/gif", extension: "gif" },
  ".webp": { mediaType: "image/webp", extension: "webp" },
};
const MAX_BYTES = 5 * 1024 * 1024;

/** Read every local image of the tree; a file that cannot be used is an error at the image. */
export async function loadImages(tree: Root, file: VFile, documentPath: string, extra: ReadonlyArray<{ url: string; line: number }> = []): Promise<Map<string, ImageResource>> {
  const images: Array<Pick<Image, "url" | "position">> = extra.map(({ url, line }) => ({ url, position: { start: { line, column: 1 }, end: { line, column: 1 } } }));
  visit(tree, "image", (node) => {
    if (protocolOf(node.url) === undefined) images.push(node);
  });
  const resources = new Map<string, ImageResource>();
  if (images.length === 0) return resources;
  const folder = await realpath(path.dirname(documentPath));
  for (const image of images) {
    if (resources.has(image.url)) continue;
    const fail = (reason: string) => {
      file.message(`Image \`${image.url}\` ${reason}; it is replaced by its alternative text`, {
        ...(image.position ? { place: image.position } : {}),
        ruleId: "image-file",
        source: "letterpress:images",
      }).fatal = true;
    };
    const type = TYPES[path.extname(image.url).toLowerCase()];
    if (!type) {
      fail(`is not PNG, JPEG, GIF or WebP`);
      continue;
    }
    let data: Buffer;
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
      data = await readFile(target);
    } catch {
      fail("cannot be read");
      continue;
    }
    let size: { width?: number | undefined; height?: number | undefined };
    try {
      size = imageSize(data);
    } catch {
      size = {};
    }
    if (!size.width || !size.height) {
      fail(`is not a readable ${type.extension.toUpperCase()} image`);
      continue;
    }
    const hash = createHash("sha256").update(data).digest("hex").slice(0, 16);
    resources.set(image.url, {
      url: image.url,
      mediaType: type.mediaType,
      extension: type.extension,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: size.width,
      height: size.height,
      name: `image-${hash}.${type.extension}`,
    });
  }
  return resources;
}

/**
 * The image as a `data:` URL, for the formats that inline it (HTML, the PDF's print page), encoded
 * once per image however many editions and formats ask.
 */
export function dataUrl(image: ImageResource): string {
  return `data:${image.mediaType};base64,${base64Of(image.data)}`;
}
