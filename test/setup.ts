/**
 * Run before every test file: the temporary folders its tests made are removed when it is done
 * (after the file's own hooks, which stop what still writes into them).
 */
import { afterAll } from "vitest";
import { removeTempDirs } from "./helpers.ts";

afterAll(removeTempDirs);
