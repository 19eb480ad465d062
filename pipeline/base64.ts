/**
 * Base64 of bytes that are sent again and again (font files: inlined in every HTML page, served to
 * every print page; a document's images, inlined in every edition), encoded once per buffer and
 * kept while the buffer lives.
 */
const encoded = new WeakMap<Uint8Array, string>();

export function base64Of(bytes: Uint8Array): string {
  let text = encoded.get(bytes);
  if (text === undefined) {
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
    encoded.set(bytes, text);
  }
  return text;
}
