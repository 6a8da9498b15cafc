// The two ways a store operation can refuse input.

/** Shopify's `userErrors` entry: returned in the payload, the mutation changes nothing. */
export interface UserError {
  field: string[] | null;
  message: string;
}

/**
 * Input the simulator does not model (an input field Shopify accepts but we would silently
 * ignore). Raised as a GraphQL error naming the field, so a test never passes on a no-op.
 */
export class UnsupportedInputError extends Error {
  constructor(
    readonly path: string,
    detail?: string,
  ) {
    super(`Input field '${path}'${detail ? ` (${detail})` : ''} is not supported by the Shopify simulator`);
    this.name = 'UnsupportedInputError';
  }
}

/** Input that Shopify rejects with a top-level GraphQL error (e.g. a malformed global id). */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; userErrors: UserError[] };
