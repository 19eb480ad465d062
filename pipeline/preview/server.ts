/**
 * `letterpress preview`: a local server over `watch`. It serves a preview page (the editions of
 * the last good build, the PDF's pages rendered by pdf.js, the diagnostics and the signatory
 * count) and tells open pages about each build by server-sent events, so they update in place.
 *
 * Bound to 127.0.0.1 only. It serves the preview's own files, two files of pdf.js and files of the
 * output folder: a request that names a parent (`..`), an absolute path, or a file whose real
 * path (symlinks resolved) is outside the output folder or the project is refused. A request
 * whose Host is not this server's address is refused too (DNS rebinding).
 */
import { createReadStream } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import type { VFile } from "vfile";
import type { BuildOptions, BuiltFile } from "../build/build.ts";
import { watch, type WatchEvent } from "../build/watch.ts";
import { ConfigError } from "../errors.ts";

export interface PreviewMessage {
  /** Path relative to the project root. */
  file: string;
  line?: number;
  column?: number;
  severity: "error" | "warning" | "info";
  reason: string;
  ruleId?: string;
  source?: string;
  /** The text of the line the message points at. */
  excerpt?: string;
}

export interface PreviewEdition {
  lang: string;
  /** URL paths of the edition's outputs by format (`/fr/open-letter.html`). */
  files: Partial<Record<string, string>>;
}

/** What the preview page shows; sent to it after every build. */
export interface PreviewState {
  document: string;
  /** Counts successful builds: a page refreshes its view when it changes. */
  version: number;
  /** The last build: undefined while the first one runs. */
  ok: boolean | undefined;
  /** A configuration mistake that stopped the last build. */
  error?: string;
  /** Diagnostics of the last build. */
  messages: PreviewMessage[];
  /** The editions of the last good build (kept when a build fails). */
  editions: PreviewEdition[];
  signatories?: { organisations: number; individuals: number };
  /** Files whose change started the last build, relative to the project. */
  changed: string[];
  /** The language to show first. */
  lang?: string;
}

export interface PreviewOptions extends BuildOptions {
  /** 0 (the default): any unused port. */
  port?: number;
  signal: AbortSignal;
  /** Called once the server listens, with its address (`http://127.0.0.1:PORT/`). */
  onListening?: (url: string) => void;
  /** Called after each build, after the state went out to the open pages. */
  onBuild?: (event: WatchEvent, state: PreviewState) => void;
  debounceMs?: number;
}

const HOST = "127.0.0.1";
const here = (name: string) => new URL(name, import.meta.url);
const assets = {
  "/": { file: here("./page.html"), type: "text/html; charset=utf-8" },
  "/_preview/page.js": { file: here("./page.js"), type: "text/javascript; charset=utf-8" },
  "/_preview/page.css": { file: here("./page.css"), type: "text/css; charset=utf-8" },
} as const;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".pdf": "application/pdf",
  ".json": "application/json; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
  ".epub": "application/epub+zip",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

/** The preview page runs its own script and pdf.js; the editions run none. */
const PAGE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const FILE_CSP = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

/** pdf.js's browser build, served from the installed package. */
function pdfjsFiles(): Record<string, string> {
  const dir = path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
  return {
    "/_preview/pdfjs/pdf.min.mjs": path.join(dir, "build", "pdf.min.mjs"),
    "/_preview/pdfjs/pdf.worker.min.mjs": path.join(dir, "build", "pdf.worker.min.mjs"),
  };
}

/**
 * The path segments a request names below the served folder, or undefined when it must be
 * refused: not origin-form, undecodable, with `.`/`..` segments, a backslash or a NUL.
 */
export function safeSegments(url: string): string[] | undefined {
  if (!url.startsWith("/") || url.startsWith("//")) return undefined;
  const raw = url.split(/[?#]/)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (decoded.startsWith("//") || /[\\\0]/.test(decoded)) return undefined;
  const segments = decoded.split("/").slice(1);
  if (segments.some((s) => s === ".." || s === "." || /^[a-z]:/i.test(s))) return undefined;
  return segments.filter((s) => s !== "");
}

const within = (dir: string, file: string) => file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

function messagesOf(files: readonly VFile[], root: string): PreviewMessage[] {
  return files.flatMap((file) => {
    const lines = typeof file.value === "string" ? file.value.split(/\r?\n/) : String(file.value ?? "").split(/\r?\n/);
    return file.messages.map((m) => {
      const excerpt = m.line ? lines[m.line - 1] : undefined;
      return {
        file: m.file ? path.relative(root, path.resolve(m.file)) || m.file : "",
        ...(m.line ? { line: m.line } : {}),
        ...(m.column ? { column: m.column } : {}),
        severity: m.fatal === true ? ("error" as const) : m.fatal === false ? ("warning" as const) : ("info" as const),
        reason: m.reason,
        ...(m.ruleId ? { ruleId: m.ruleId } : {}),
        ...(m.source ? { source: m.source } : {}),
        ...(excerpt !== undefined ? { excerpt: excerpt.slice(0, 300) } : {}),
      };
    });
  });
}

function editionsOf(outputs: readonly BuiltFile[]): PreviewEdition[] {
  const byLang = new Map<string, PreviewEdition>();
  for (const o of outputs) {
    if (!o.lang || !o.format) continue;
    const e = byLang.get(o.lang) ?? { lang: o.lang, files: {} };
    e.files[o.format] = `/${o.path.split("/").map(encodeURIComponent).join("/")}`;
    byLang.set(o.lang, e);
  }
  return [...byLang.values()];
}

/** Serve the preview until `signal` aborts; resolves once the server and the watch have stopped. */
export async function preview(options: PreviewOptions): Promise<void> {
  const root = await realpath(options.root);
  const outDir = path.resolve(options.outDir);
  if (!within(root, outDir)) throw new ConfigError(`The preview serves files of the project only: \`${options.outDir}\` is outside ${root}`, { hint: "choose an --out folder inside the project" });
  const pdfjs = pdfjsFiles();
  const state: PreviewState = {
    document: path.relative(root, path.resolve(options.input)),
    version: 0,
    ok: undefined,
    messages: [],
    editions: [],
    changed: [],
    ...(options.langs?.[0] ? { lang: options.langs[0] } : {}),
  };
  const clients = new Set<ServerResponse>();
  const send = (res: ServerResponse) => res.write(`event: state\ndata: ${JSON.stringify(state)}\n\n`);

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("Internal error\n");
    });
  });
  let port = 0;

  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
    res.end(`${text}\n`);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") return refuse(res, 405, "Method not allowed");
    const host = req.headers.host ?? "";
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return refuse(res, 403, "Forbidden host");
    const url = req.url ?? "";
    const segments = safeSegments(url);
    if (!segments) return refuse(res, 403, "Forbidden path");
    const route = `/${segments.join("/")}`;

    if (route === "/_preview/events") {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
      res.write("retry: 1000\n\n");
      send(res);
      clients.add(res);
      req.on("close", () => clients.delete(res));
      return;
    }
    if (route === "/_preview/state") {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      res.end(JSON.stringify(state));
      return;
    }
    const asset = assets[route as keyof typeof assets];
    if (asset) {
      res.writeHead(200, { "content-type": asset.type, "cache-control": "no-store", "content-security-policy": PAGE_CSP, "x-content-type-options": "nosniff" });
      res.end(req.method === "HEAD" ? undefined : await readFile(asset.file));
      return;
    }
    const library = pdfjs[route];
    if (library) return serveFile(req, res, library, "text/javascript; charset=utf-8", PAGE_CSP);
    if (segments[0] === "_preview") return refuse(res, 404, "Not found");

    // A file of the output folder, only if its real path is inside it and inside the project.
    let file: string;
    try {
      const realOut = await realpath(outDir);
      file = await realpath(path.join(realOut, ...segments));
      if (!within(realOut, file) || !within(root, file)) return refuse(res, 403, "Forbidden path");
      if ((await stat(file)).isDirectory()) {
        file = await realpath(path.join(file, "index.html"));
        if (!within(realOut, file)) return refuse(res, 403, "Forbidden path");
      }
    } catch {
      return refuse(res, 404, "Not found");
    }
    return serveFile(req, res, file, TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream", FILE_CSP);
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse, file: string, type: string, csp: string): Promise<void> {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return refuse(res, 404, "Not found");
    res.writeHead(200, { "content-type": type, "content-length": info.size, "cache-control": "no-store", "content-security-policy": csp, "x-content-type-options": "nosniff" });
    if (req.method === "HEAD") return void res.end();
    await new Promise<void>((resolve) => {
      const stream = createReadStream(file);
      stream.on("error", () => (res.destroy(), resolve()));
      stream.on("end", () => resolve());
      stream.pipe(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" || error.code === "EACCES" ? new ConfigError(`Cannot listen on ${HOST}:${options.port ?? 0} (${error.code})`, { hint: "choose another --port" }) : error),
    );
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  options.onListening?.(`http://${HOST}:${port}/`);
  // Proxies and browsers close idle event streams; a comment now and then keeps them open.
  const heartbeat = setInterval(() => clients.forEach((c) => c.write(": keep-alive\n\n")), 15_000);
  heartbeat.unref();

  try {
    await watch({
      ...options,
      onBuild: (event) => {
        state.changed = event.changed.map((f) => path.relative(root, f));
        if (event.error) {
          state.ok = false;
          state.error = event.error instanceof Error ? event.error.message : String(event.error);
          state.messages = [];
        } else {
          const result = event.result!;
          delete state.error;
          state.ok = result.ok;
          state.messages = messagesOf(result.files, root);
          if (result.ok) {
            state.version++;
            state.editions = editionsOf(result.outputs);
            const counts = result.manifest?.signatories;
            if (counts) state.signatories = { organisations: counts.organisations, individuals: counts.individuals };
          }
        }
        for (const client of clients) send(client);
        options.onBuild?.(event, state);
      },
    });
  } finally {
    clearInterval(heartbeat);
    for (const client of clients) client.end();
    clients.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
