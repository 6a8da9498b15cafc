// The one base of the errors this product throws: a stable `code` to branch and count on, and
// whether trying the same thing again later can succeed.

export class DosError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, opts: { readonly retriable?: boolean; readonly cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = opts.retriable ?? false;
  }
}

/** A deadline passed before the operation finished (its outcome may be unknown). */
export class TimeoutError extends DosError {
  constructor(message: string) {
    super('TIMEOUT', message, { retriable: true });
  }
}
