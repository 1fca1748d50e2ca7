// The one error class of fapi-session. Imported by the wasm module (which constructs it)
// and re-exported by the package's entry point, so `instanceof FapiError` works everywhere.

/**
 * A failure of the Frontend API, the network or the manager, with a `kind` to act on.
 */
export class FapiError extends Error {
  /**
   * @param {string} message
   * @param {{kind: string, status?: number, code?: string, errors?: object[],
   *          traceId?: string, retryAfter?: number, cause?: unknown}} details
   */
  constructor(message, details) {
    super(message, details && 'cause' in details ? { cause: details.cause } : undefined);
    const d = details || {};
    this.name = 'FapiError';
    /** @type {'network'|'timeout'|'http'|'parse'|'aborted'|'config'} */
    this.kind = d.kind || 'network';
    if (d.status !== undefined) this.status = d.status;
    if (d.code !== undefined) this.code = d.code;
    /** @type {readonly object[]} */
    this.errors = Object.freeze(d.errors ? [...d.errors] : []);
    if (d.traceId !== undefined) this.traceId = d.traceId;
    if (d.retryAfter !== undefined) this.retryAfter = d.retryAfter;
  }
}
