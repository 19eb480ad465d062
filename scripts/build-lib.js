#!/usr/bin/env node
/**
 * The library that `import { build, check } from "letterpress"` loads (run by `npm pack` through
 * `prepack`): lib/*.js, ES modules bundled from pipeline/ by esbuild with the npm packages left
 * as imports, and lib/types/*.d.ts from tsc. Files the pipeline reads next to its modules
 * (`new URL("./print.css", import.meta.url)`) are found in pipeline/, shipped beside lib/.
 */
import { execFileSync } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const LIB = path.join(ROOT, "lib");

await rm(LIB, { recursive: true, force: true });
await esbuild.build({
  entryPoints: { api: path.join(ROOT, "pipeline/api.ts"), remark: path.join(ROOT, "pipeline/remark.ts") },
  outdir: LIB,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
  plugins: [
    {
      name: "source-location",
      setup(build) {
        // Every chunk is in lib/: a module's own location is its source file relative to there.
        build.onLoad({ filter: /[\\/]pipeline[\\/].*\.ts$/ }, async (args) => {
          const relative = path.relative(LIB, args.path).split(path.sep).join("/");
          return {
            contents: (await readFile(args.path, "utf8")).replaceAll("import.meta.url", `new URL(${JSON.stringify(relative)}, import.meta.url).href`),
            loader: "ts",
          };
        });
      },
    },
  ],
});

execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.lib.json")], { stdio: "inherit" });
// The declarations keep the sources' `./x.ts` specifiers; a consumer resolves `./x.js` to `x.d.ts`.
async function rewrite(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await rewrite(full);
    else if (entry.name.endsWith(".d.ts")) {
      const text = await readFile(full, "utf8");
      await writeFile(full, text.replace(/((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.ts(["'])/g, "$1$2.js$3"));
    }
  }
}
await rewrite(path.join(LIB, "types"));
