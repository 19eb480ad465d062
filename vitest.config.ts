import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Tests that start Chromium or LibreOffice share 2 cores: keep files in parallel modest.
    maxWorkers: 2,
  },
});
