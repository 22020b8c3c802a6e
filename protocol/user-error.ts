/**
 * The one base of errors whose message is written for the person: what is wrong and what to do,
 * in whole sentences the panel can show as they are (`err.message`). Errors that are only signals
 * between modules (a framing fault, the server's own wording, "this tab is a PDF") stay plain
 * `Error`s and are worded at the edge. In protocol/ because settings codes are read by both the
 * extension and the server's CLI.
 */
export class UserFacingError extends Error {
  /**
   * @param message text for the person: what is wrong, what to do
   * @param options `cause` keeps the underlying error, if any
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A {@link UserFacingError} that also carries a machine-readable `code` for the UI and tests (invite and settings codes, backups, storage, the relay). */
export class CodedUserError<Code extends string> extends UserFacingError {
  /** Machine-readable reason. */
  readonly code: Code;

  /**
   * @param code machine-readable reason
   * @param message text for the person: what is wrong, what to do
   * @param options `cause` keeps the underlying error, if any
   */
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
