/**
 * `npm run server -- --print-settings-code --public-url wss://sync.example.org [...]`: prints the
 * settings code and link an organiser sends to every participant (protocol/settings-code.ts).
 * With `--turn-secret` (coturn's `static-auth-secret`) it mints a TURN credential that expires
 * after `--turn-days`, by the TURN REST scheme coturn checks: username `<expiry>:<label>`,
 * password base64(HMAC-SHA1(secret, username)).
 */
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';
import { stringOptions } from './config.ts';
import { encodeSettingsCode, makeProgrammeSettings, settingsLink, SettingsCodeError, type IceServerSetting } from '../protocol/settings-code.ts';

/** Help for the settings-code mode. */
export const SETTINGS_CODE_USAGE = `Print the settings code for your programme's participants.

Usage: npm run server -- --print-settings-code --public-url wss://sync.example.org [options]

  --public-url <wss://…>     the address partners connect to (repeatable, at most 4)
  --programme <name>         shown to participants, e.g. "ILN 2026"
  --stun-url <stun:…>        a STUN server (repeatable)
  --turn-url <turn:…>        a TURN server (repeatable; all share the credential below)
  --turn-username <name>     a fixed TURN username, with --turn-credential
  --turn-credential <pw>     its password
  --turn-secret <secret>     or: coturn's static-auth-secret, to mint a credential that expires
  --turn-days <n>            days that minted credential is valid (120)
  --turn-label <text>        the label in the minted username (partners)
`;

/** TURN REST credential (coturn `use-auth-secret`) valid until `expiresAt` (epoch seconds). */
export function turnRestCredential(secret: string, expiresAt: number, label: string): { username: string; credential: string } {
  const username = `${expiresAt}:${label}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/**
 * Builds the code and link from command-line flags.
 * @throws Error (or SettingsCodeError) with a message naming what to fix
 */
export function settingsCodeFromArgs(argv: string[], now = Date.now()): { code: string; link: string } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      ...stringOptions('programme', 'turn-username', 'turn-credential', 'turn-secret', 'turn-days', 'turn-label'),
      'print-settings-code': { type: 'boolean' },
      'public-url': { type: 'string', multiple: true },
      'stun-url': { type: 'string', multiple: true },
      'turn-url': { type: 'string', multiple: true },
    },
  });
  if (!values['public-url']?.length) throw new Error('--public-url is required: the wss:// address partners connect to, e.g. wss://sync.example.org');
  const turnUrls = values['turn-url'] ?? [];
  let turnAuth: { username: string; credential: string } | undefined;
  if (values['turn-secret']) {
    const days = Number(values['turn-days'] ?? 120);
    if (!(days > 0 && days <= 3650)) throw new Error('--turn-days must be between 1 and 3650');
    turnAuth = turnRestCredential(values['turn-secret'], Math.floor(now / 1000) + Math.round(days * 86_400), values['turn-label'] ?? 'partners');
  } else if (values['turn-username'] || values['turn-credential']) {
    turnAuth = { username: values['turn-username'] ?? '', credential: values['turn-credential'] ?? '' };
  }
  if (turnUrls.length && !turnAuth) throw new Error('a TURN server needs --turn-secret, or --turn-username with --turn-credential');
  const iceServers: IceServerSetting[] = [...(values['stun-url'] ?? []).map((urls) => ({ urls })), ...turnUrls.map((urls) => ({ urls, ...turnAuth }))];
  const settings = makeProgrammeSettings({ programme: values.programme, signaling: values['public-url'], iceServers });
  return { code: encodeSettingsCode(settings), link: settingsLink(settings) };
}

/** Runs the mode: prints the code and link, or the problem; returns the exit code. */
export function printSettingsCode(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(SETTINGS_CODE_USAGE);
    return 0;
  }
  try {
    const { code, link } = settingsCodeFromArgs(argv);
    out.write(`Settings code (participants paste it in Partner Notebook → Settings, or on the first screen):\n${code}\n\nThe same as a link:\n${link}\n`);
    return 0;
  } catch (e) {
    err.write(`${e instanceof SettingsCodeError || e instanceof Error ? e.message : String(e)}\n\n${SETTINGS_CODE_USAGE}`);
    return 2;
  }
}
