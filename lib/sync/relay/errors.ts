/**
 * What went wrong with the encrypted relay, in words a librarian can act on. The relay's
 * wire codes (`protocol/relay.ts`) name server-side conditions; the client adds a few of
 * its own (a change that cannot be read, a server it cannot talk to).
 */
import type { RelayErrorCode } from '../../../protocol/relay';
import type { Translate } from '../../i18n';
import { CodedUserError } from '../../../protocol/user-error';

/** Problems the relay client detects itself, beside the server's {@link RelayErrorCode}s. */
export type RelayClientErrorCode =
  /** An entry could not be decrypted (other invite, damaged) or is not a valid change. */
  | 'unreadable-entry'
  /** The server speaks another protocol version. */
  | 'unsupported-server'
  /** The server could not be reached or the connection broke. */
  | 'unreachable'
  /** The whole notebook is larger than the server accepts even as one snapshot. */
  | 'notebook-too-large'
  /** The server sent something that is not part of the protocol. */
  | 'bad-reply'
  /** The relay holds fewer changes than it did before (restored from a backup, or tampered with). */
  | 'rolled-back';

/** Every code a {@link RelayError} can carry. */
export type RelayProblemCode = RelayErrorCode | RelayClientErrorCode;

/** The message for an entry that was skipped; fixed so the UI and the tests can rely on it. */
export const UNREADABLE_ENTRY_MESSAGE =
  'A change from the relay could not be read: it was damaged or made with a different invite. Your notebook is unchanged.';

const MESSAGES: Record<RelayProblemCode, string> = {
  forbidden:
    'The relay server keeps this notebook’s mailbox for a different invite, so your changes cannot be stored there. Ask your partner for a new invite and join with it. Your notebook on this computer is unchanged, and partners who are online at the same time still sync directly.',
  'room-full':
    'This notebook’s mailbox on the relay server is full. Partner Notebook tidies it up and tries again on its own; if this message stays, ask the person who runs the relay server to raise the room limit. Your changes are kept on this computer.',
  'server-full':
    'The relay server has run out of storage. Your changes are kept on this computer and are sent when space is free again; please tell the person who runs the relay server.',
  'too-large':
    'A change is larger than the relay server accepts. It is kept on this computer and still reaches partners who are online at the same time. Splitting very large clips helps; the person who runs the relay server can also raise the limit.',
  'bad-range': 'The relay mailbox changed while it was being tidied up. This is retried automatically; there is nothing to do.',
  'too-many-rooms': 'Too many notebooks are syncing through one connection to the relay server. Close a few notebooks and try again.',
  conflict: 'Your partner sent changes to the relay at the same moment. This is sorted out automatically; there is nothing to do.',
  'over-limit':
    'The relay server has taken in a lot from your network address today, so it is not taking more for now. Your changes are kept on this computer and are sent later; if this message stays, tell the person who runs the relay server.',
  'rolled-back':
    'The relay server has lost some changes it stored before (it may have been restored from a backup). Partner Notebook sends your whole notebook to it again, so your partner still gets everything; nothing on this computer was lost.',
  internal: 'The relay server had a problem storing changes. Nothing was lost: your changes are kept on this computer and are sent again shortly.',
  'bad-request':
    'Partner Notebook and the relay server do not understand each other. Update the extension; if this message stays, tell the person who runs the relay server.',
  'unreadable-entry': UNREADABLE_ENTRY_MESSAGE,
  'unsupported-server':
    'The relay server runs a version that this extension does not support. Update the extension, or ask the person who runs the relay server to update it. Your changes are kept on this computer.',
  unreachable: 'The relay server cannot be reached right now. Your changes are kept on this computer and are sent automatically when the connection returns.',
  'notebook-too-large':
    'This notebook has grown larger than the relay server accepts, so new changes cannot be stored there. They still reach partners who are online at the same time. Removing large clips you no longer need helps; the person who runs the relay server can also raise the limit.',
  'bad-reply': 'The relay server sent something Partner Notebook does not understand. Check that the relay address is right; if it is, update the extension.',
};

/**
 * The message shown to a person for a relay problem: what happened and what to do.
 * Pure, so the UI can use it for codes it stored earlier.
 *
 * @param code a server error code or one of the client's own codes
 */
export function describeRelayError(code: RelayProblemCode): string {
  return MESSAGES[code] ?? MESSAGES['bad-reply'];
}

/** {@link describeRelayError} in the language of `tr` (the panel's), for the UI edge. */
export function relayErrorText(code: RelayProblemCode, tr: Translate): string {
  return tr(`relayError.${Object.prototype.hasOwnProperty.call(MESSAGES, code) ? code : 'bad-reply'}`);
}

/** A relay problem, reported through the relay client's `onError`. `message` is for people. */
export class RelayError extends CodedUserError<RelayProblemCode> {
  override name = 'RelayError';

  /**
   * @param code what went wrong (see {@link describeRelayError})
   * @param options `cause` keeps the underlying error or the server's own wording;
   *   `message` overrides the standard message
   */
  constructor(code: RelayProblemCode, options?: { cause?: unknown; message?: string }) {
    super(code, options?.message ?? describeRelayError(code), { cause: options?.cause });
  }
}
