/**
 * Configuration mistakes (unknown format, missing file, bad option) throw a `ConfigError`.
 * Problems *in* a document are never thrown: they are vfile messages.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** Extra advice for the user, such as the package to install. */
  readonly hint: string | undefined;
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options?.hint;
  }
}
