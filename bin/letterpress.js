#!/usr/bin/env node
// Thin launcher: registers tsx so the TypeScript pipeline runs without a compile step.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../pipeline/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
