#!/usr/bin/env node
// Launcher: runs the pipeline from its esbuild bundle (bin/bundle.js), made on first use and after
// any change; without esbuild, registers tsx and runs the TypeScript directly.
import { bundledCli } from "./bundle.js";

// A bundle that cannot be made (a read-only node_modules, say) is no reason to fail: use tsx.
const bundle = process.env.LETTERPRESS_NO_BUNDLE ? undefined : await bundledCli().catch(() => undefined);
if (bundle && process.env.LETTERPRESS_DEBUG) process.setSourceMapsEnabled(true);
let main;
if (bundle) ({ main } = await import(bundle));
else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../pipeline/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
