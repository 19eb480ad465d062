/**
 * Set by a command that stops on Ctrl-C itself and then disposes of its browser (`watch`,
 * `preview`): puppeteer's own handler would kill the browser and exit the process with 130 in
 * the middle of that. A module of its own, so that setting it does not load the browser driver.
 */
let callerHandlesSignals = false;

export function leaveSignalsToCaller(): void {
  callerHandlesSignals = true;
}

export function signalsLeftToCaller(): boolean {
  return callerHandlesSignals;
}
