/** The npm `xliff` converter ships no types; the two functions the tests use. */
declare module "xliff" {
  export function xliff2js(xml: string): Promise<unknown>;
  export function js2xliff(js: unknown): Promise<string>;
}
