/**
 * One headless Chromium per build (puppeteer-core + the system's Chromium). Offline: background
 * networking off, and every page blocks requests that are not local assets of the build.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import puppeteer, { type Browser, type CDPSession, type Page } from "puppeteer-core";
import { base64Of } from "../base64.ts";
import { ConfigError } from "../errors.ts";
import { signalsLeftToCaller } from "./signals.ts";

/** Debian's headless-only build of Chromium (package chromium-headless-shell): no browser UI to load. */
export const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
/** Debian's full Chromium, when the headless shell is not installed. */
export const FULL_CHROMIUM = "/usr/bin/chromium";

/**
 * Where Chromium is: $CHROMIUM_PATH, $PUPPETEER_EXECUTABLE_PATH, else Debian's headless shell when
 * installed, else Debian's /usr/bin/chromium.
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env, exists: (file: string) => boolean = existsSync): string {
  return env.CHROMIUM_PATH || env.PUPPETEER_EXECUTABLE_PATH || (exists(HEADLESS_SHELL) ? HEADLESS_SHELL : FULL_CHROMIUM);
}

/**
 * Start Chromium. The process is spawned before this function first yields (the profile folder
 * is made here, synchronously, not by puppeteer), so a caller that goes on with CPU-bound work,
 * parsing the document, has the browser starting meanwhile on the other core.
 */
export interface LaunchOptions {
  /**
   * How many renderer processes the pages share (default: one per core, at least two). Pages
   * beyond that share a renderer, and take turns on its one main thread.
   */
  renderers?: number;
}

export async function launchChromium(env: NodeJS.ProcessEnv = process.env, options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = chromiumPath(env);
  if (!existsSync(executablePath)) {
    throw new ConfigError(`Chromium not found at ${executablePath}`, {
      hint: "install it with `apt-get install chromium-headless-shell` (Debian/Ubuntu) or set CHROMIUM_PATH",
    });
  }
  const profile = mkdtempSync(path.join(tmpdir(), "letterpress-chromium-"));
  const removeProfile = () => {
    try {
      rmSync(profile, { recursive: true, force: true });
    } catch {
      // a temporary folder left behind is not worth failing a build for
    }
  };
  try {
    const browser = await puppeteer.launch({
      executablePath,
      // The headless shell is the old headless mode as a program of its own ("shell"); the full browser runs its new headless mode.
      headless: path.basename(executablePath).includes("headless-shell") ? "shell" : true,
      // Unless the command stops the browser itself on Ctrl-C (signals.ts).
      handleSIGINT: !signalsLeftToCaller(),
      handleSIGTERM: !signalsLeftToCaller(),
      handleSIGHUP: !signalsLeftToCaller(),
      // No first tab (each user opens its own): it would hold a renderer of its own, or share one
      // with a print page and take turns with it on that renderer's one main thread; and the
      // browser is ready sooner (no window, no omnibox pages behind it). The headless shell
      // opens one anyway (see closeStartupTabs).
      waitForInitialPage: false,
      args: [
        "--no-startup-window",
        `--user-data-dir=${profile}`,
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--font-render-hinting=none",
        // The renderers the caller asks for and no more: no spare one, none for the omnibox popups
        // that a headless browser still preloads (a renderer's worth), and the network service
        // (which only ever sees blocked or locally answered requests) runs in the browser process
        // instead of a process of its own (memory).
        `--renderer-process-limit=${options.renderers ?? Math.max(2, availableParallelism())}`,
        "--disable-features=SpareRendererForSitePerProcess,WebUIOmniboxPopup,WebUIOmniboxAimPopup",
        "--enable-features=NetworkServiceInProcess2",
        "--in-process-gpu",
        // Nothing is rasterised on screen: no software GPU (SwiftShader) either (memory).
        "--disable-software-rasterizer",
        // Renderers are started as processes of their own, not forked from the two zygote processes
        // that would otherwise run beside them for as long as the browser does (memory; the zygote
        // exists for the sandbox, which is off).
        "--no-zygote",
      ],
    });
    const child = browser.process();
    if (child) child.once("exit", removeProfile);
    else removeProfile();
    await closeStartupTabs(browser);
    return browser;
  } catch (error) {
    removeProfile();
    throw new ConfigError(`Chromium at ${executablePath} did not start: ${(error as Error).message.split("\n")[0]}`, {
      hint: "check `chromium --version`; on Debian: `apt-get install chromium`",
      cause: error,
    });
  }
}

/**
 * The headless shell opens an about:blank tab at start whatever the switches say (the full
 * browser honours --no-startup-window). Its renderer would count against the renderer limit, and
 * the build's two print pages would then share the other one, taking turns on its one main
 * thread: it is closed before any print page is opened.
 */
async function closeStartupTabs(browser: Browser): Promise<void> {
  const session = await browser.target().createCDPSession();
  try {
    const { targetInfos } = await session.send("Target.getTargets");
    await Promise.all(targetInfos.filter((t) => t.type === "page").map((t) => session.send("Target.closeTarget", { targetId: t.targetId })));
  } finally {
    await session.detach().catch(() => undefined);
  }
  // Closed once puppeteer has seen the tab go (its "targetdestroyed"), or after a while regardless.
  const tabs = () => browser.targets().some((t) => t.type() === "page");
  if (!tabs()) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      browser.off("targetdestroyed", check);
      resolve();
    };
    const check = () => {
      if (!tabs()) done();
    };
    const timer = setTimeout(done, 2000);
    browser.on("targetdestroyed", check);
  });
}

/**
 * Stop a browser whose work is done: its process group (browser, zygotes, renderers) is killed
 * rather than asked to shut down, which has Chromium spend time saving a profile nobody reads.
 * Resolves when the browser process has exited and its profile folder is gone.
 */
export async function stopChromium(browser: Browser): Promise<void> {
  const child = browser.process();
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
    await browser.close().catch(() => undefined);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGKILL"); // puppeteer starts Chromium as a process-group leader
  } catch {
    child.kill("SIGKILL");
  }
  await exited;
}

export interface BlockedRequest {
  url: string;
  type: string;
}

/** A response made in this process for a request of the page (nothing is fetched). */
export interface Served {
  contentType: string;
  body: Uint8Array;
}

/**
 * Block every request except the allowed ones (data:, about:blank, and URLs `allow` accepts) and
 * the ones `serve` answers itself; blocked requests are collected so the caller can report them.
 * Requests are paused through the DevTools Fetch domain directly (puppeteer's interception would
 * base64-encode a served body again for every request), on `session` when the caller has one of
 * the page's own already.
 */
export async function sandboxPage(
  page: Page,
  allow: (url: string) => boolean = () => false,
  serve: (url: string) => Promise<Served> | undefined = () => undefined,
  session?: CDPSession,
): Promise<BlockedRequest[]> {
  const blocked: BlockedRequest[] = [];
  session ??= await page.createCDPSession();
  session.on("Fetch.requestPaused", (event) => {
    const { requestId, request, resourceType } = event;
    const url = request.url;
    const fail = () => session.send("Fetch.failRequest", { requestId, errorReason: "BlockedByClient" }).catch(() => undefined);
    const serving = serve(url);
    if (serving) {
      void serving
        .then((served) =>
          session.send("Fetch.fulfillRequest", {
            requestId,
            responseCode: 200,
            responseHeaders: [
              { name: "content-type", value: served.contentType },
              { name: "access-control-allow-origin", value: "*" },
            ],
            body: base64Of(served.body),
          }),
        )
        .catch(fail);
    } else if (url.startsWith("data:") || url === "about:blank" || allow(url)) {
      void session.send("Fetch.continueRequest", { requestId }).catch(() => undefined);
    } else {
      blocked.push({ url, type: resourceType.toLowerCase() });
      void fail();
    }
  });
  await session.send("Fetch.enable", { patterns: [{ urlPattern: "*" }] });
  return blocked;
}
