/**
 * Which Chromium Letterpress runs: CHROMIUM_PATH, then PUPPETEER_EXECUTABLE_PATH, then Debian's
 * headless shell when installed, then Debian's full Chromium; the one chosen on this machine starts
 * and prints a page.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chromiumPath, FULL_CHROMIUM, HEADLESS_SHELL, launchChromium, stopChromium } from "../pipeline/browser/chromium.ts";

describe("chromiumPath", () => {
  it("prefers CHROMIUM_PATH, then PUPPETEER_EXECUTABLE_PATH, then the headless shell, then chromium", () => {
    const all = () => true;
    const none = () => false;
    expect(chromiumPath({ CHROMIUM_PATH: "/opt/c", PUPPETEER_EXECUTABLE_PATH: "/opt/p" }, all)).toBe("/opt/c");
    expect(chromiumPath({ PUPPETEER_EXECUTABLE_PATH: "/opt/p" }, all)).toBe("/opt/p");
    expect(chromiumPath({}, all)).toBe(HEADLESS_SHELL);
    expect(chromiumPath({}, none)).toBe(FULL_CHROMIUM);
  });

  it("starts the Chromium it chooses on this machine and prints with it", async () => {
    const chosen = chromiumPath({});
    expect(chosen).toBe(existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : FULL_CHROMIUM);
    const browser = await launchChromium({});
    try {
      expect(browser.process()?.spawnfile).toBe(chosen);
      const page = await browser.newPage();
      await page.setContent("<p>Letterpress</p>");
      const pdf = await page.pdf();
      expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe("%PDF-");
    } finally {
      await stopChromium(browser);
    }
  }, 60_000);

  it("opens no tab of its own, so that two print pages work in two renderers at once", async () => {
    const browser = await launchChromium();
    try {
      expect(await browser.pages()).toHaveLength(0);
      const pages = [await browser.newPage({ background: true }), await browser.newPage({ background: true })];
      for (const page of pages) await page.setContent("<p>Letterpress</p>");
      const session = await browser.target().createCDPSession();
      // CPU seconds of each renderer process, by process id.
      const renderers = async () => {
        const { processInfo } = (await session.send("SystemInfo.getProcessInfo" as never)) as { processInfo: Array<{ type: string; id: number; cpuTime: number }> };
        return new Map(processInfo.filter((p) => p.type === "renderer").map((p) => [p.id, p.cpuTime]));
      };
      // Which renderer a page's script runs in: the one whose CPU time grows while it is busy.
      const busiest = async (page: (typeof pages)[number]) => {
        const before = await renderers();
        await page.evaluate(() => {
          const end = Date.now() + 300;
          while (Date.now() < end);
        });
        const after = await renderers();
        return [...after].sort(([a, x], [b, y]) => y - (before.get(b) ?? 0) - (x - (before.get(a) ?? 0)))[0]![0];
      };
      expect(await busiest(pages[0]!)).not.toBe(await busiest(pages[1]!));
    } finally {
      await stopChromium(browser);
    }
  }, 60_000);
});
