/**
 * Base of the errors whose message is written for the person (what is wrong, what to do) and that
 * carry a machine-readable `code` for the UI and tests: invite codes, settings codes, backups.
 * In protocol/ because settings codes are read by both the extension and the server's CLI.
 */
export class UserFacingError<Code extends string> extends Error {
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
