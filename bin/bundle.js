/**
 * The command line runs from one ESM bundle of the pipeline, made by esbuild: compiling the
 * TypeScript module by module at every start (tsx) would cost seconds of CPU per command; the
 * bundle loads in a fraction of that. It lives in node_modules/.cache/letterpress/<key>/, where the key
 * hashes the name, size and time of every file under pipeline/ and the installed packages, so
 * any edit or `npm ci` makes a new bundle (once, on the next command) and the old ones are removed.
 *
 * The packages are bundled too, in chunks that load only when a writer asks for them (splitting):
 * `letterpress check` never loads the browser driver or the DOCX and EPUB libraries. Files the pipeline reads
 * next to its modules (`new URL("./print.css", import.meta.url)`) keep working: each module's
 * `import.meta.url` is replaced by its own source location.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "letterpress");
/** Bump when the options below change. */
const FORMAT = 5;
/**
 * Packages left to Node's loader: only the WebAssembly ones (HarfBuzz's subsetter and shaper, the
 * WOFF2 codec), which find their .wasm files next to their own modules. The rest is bundled:
 * puppeteer-core as hundreds of ES modules loads much more slowly than bundled, and a PDF
 * build waits for it before Chromium can be spawned (outputs are byte-identical either way).
 */
const EXTERNAL = ["subset-font", "harfbuzzjs", "wawoff2"];

async function files(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await files(full)));
    else out.push(full);
  }
  return out.sort();
}

/** The key of the current sources and packages. */
async function keyOf() {
  const hash = createHash("sha256").update(`format ${FORMAT}\n`);
  const inputs = [...(await files(path.join(ROOT, "pipeline"))), path.join(ROOT, "node_modules", ".package-lock.json"), fileURLToPath(import.meta.url)];
  for (const file of inputs) {
    const s = await stat(file).catch(() => undefined);
    hash.update(`${path.relative(ROOT, file)} ${s?.size ?? "-"} ${s?.mtimeMs ?? "-"}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

/** The bundle's entry module (file URL), built if needed; undefined if esbuild is unavailable. */
export async function bundledCli() {
  const key = await keyOf();
  const dir = path.join(CACHE, key);
  const entry = path.join(dir, "main.js");
  if (await stat(entry).catch(() => undefined)) return pathToFileURL(entry).href;

  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    return undefined;
  }
  // Several processes may start at once (the tests do): each writes its own folder, the first
  // rename wins, the others use it.
  const temp = `${dir}.tmp-${process.pid}`;
  try {
    await bundle(esbuild, temp);
    await asciiComments(temp);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  } finally {
    // esbuild's service process would otherwise live as long as this one (a `watch` runs for hours).
    await esbuild.stop();
  }
  try {
    await rename(temp, dir);
  } catch {
    await rm(temp, { recursive: true, force: true });
  }
  await pruneBundles(CACHE, key);
  return pathToFileURL(entry).href;
}

/**
 * Earlier bundles in `cache` are dead weight once an hour old (a running `watch` may still load
 * from one); they are removed, and only they: the folder also holds the font subsets
 * (pipeline/writers/shared/fonts.ts), which outlive any bundle.
 */
export async function pruneBundles(cache, key, now = Date.now()) {
  for (const old of await readdir(cache)) {
    if (old === key || !/^[0-9a-f]{16}(\.tmp-\d+)?$/.test(old)) continue;
    const full = path.join(cache, old);
    const s = await stat(full).catch(() => undefined);
    if (s && now - s.mtimeMs > 3600_000) await rm(full, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * V8 keeps each module's source text while the module lives, one byte a character if all of it is
 * Latin-1 and two bytes otherwise, so a single "—" in a comment doubles the memory a chunk's text
 * takes. esbuild already escapes
 * every non-ASCII character in code (its default charset) but leaves comments as they are, so
 * what is left is in comments, where an escape reads as well as the character.
 */
async function asciiComments(dir) {
  for (const file of await files(dir)) {
    if (!file.endsWith(".js")) continue;
    const text = await readFile(file, "utf8");
    if (/[^\x00-\x7f]/.test(text)) await writeFile(file, text.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`));
  }
}

function bundle(esbuild, outdir) {
  return esbuild.build({
    entryPoints: [path.join(ROOT, "pipeline", "cli", "main.ts")],
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    sourcemap: "linked",
    // Whitespace, syntax and local names: less source for V8 to read at start and to keep for
    // as long as the process runs (a watch runs for hours). Stack traces map back through the
    // source map (LETTERPRESS_DEBUG=1).
    minify: true,
    logLevel: "silent",
    // Bundled CommonJS packages call require() for Node's own modules.
    banner: { js: "import { createRequire as __letterpressRequire } from 'node:module'; const require = __letterpressRequire(import.meta.url);" },
    plugins: [
      {
        name: "source-location",
        setup(build) {
          build.onLoad({ filter: /[\\/]pipeline[\\/].*\.ts$/ }, async (args) => ({
            contents: (await readFile(args.path, "utf8")).replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
            loader: "ts",
          }));
        },
      },
    ],
  });
}

