/**
 * The zip containers of the DOCX and EPUB writers, made with fflate: entries in the order given,
 * times from the build's epoch (never the clock), files that are compressed already stored.
 */
import { zipSync, type Zippable } from "fflate";

export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** Store without compression (the EPUB `mimetype`, fonts, images). */
  store?: boolean;
}

/** Formats whose bytes deflate cannot shrink. */
export const COMPRESSED = /\.(woff2?|png|jpe?g|gif|webp)$/i;

/** A zip of `entries`, in their order, every entry dated `epoch` (seconds). */
export function zipEntries(entries: Iterable<ZipEntry>, epoch: number): Uint8Array {
  const mtime = zipTime(epoch);
  const files: Zippable = {};
  for (const entry of entries) files[entry.name] = [entry.data, { mtime, level: entry.store ? 0 : 9 }];
  return zipSync(files, { mtime, level: 9 });
}

/**
 * Zip entry times are MS-DOS local times (1980–2107, 2 s steps). fflate reads the local fields of
 * a Date, so give it one whose local fields are the epoch's UTC fields: the same bytes in every
 * time zone.
 */
function zipTime(epoch: number): Date {
  const utc = new Date(Math.max(epoch * 1000, Date.UTC(1980, 0, 1)));
  return new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds());
}
