/**
 * "Test connection" in Settings: can this browser reach the sync server, and can it open a peer
 * connection with the ICE servers configured? Answers in plain words, in the panel's language.
 */
import { t } from '../i18n';

/** Result of one check. */
export interface CheckResult {
  ok: boolean;
  message: string;
}

/** The non-blank lines of a Settings text box, trimmed (numbered from 1 in messages). */
function settingLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Parses the ICE server lines of the Settings page: "stun:host:port" or "turn:host:port username password". */
export function parseIceServers(text: string): { servers: RTCIceServer[]; errors: string[] } {
  const servers: RTCIceServer[] = [];
  const errors: string[] = [];
  settingLines(text).forEach((line, i) => {
    const [url, username, credential, ...rest] = line.split(/\s+/);
    if (!url || !/^(stun|stuns|turn|turns):[^\s]+$/i.test(url) || rest.length) {
      errors.push(t('conn.iceLineFormat', { line: i + 1 }));
      return;
    }
    if (/^turns?:/i.test(url) && (!username || !credential)) {
      errors.push(t('conn.turnNeedsLogin', { line: i + 1 }));
      return;
    }
    servers.push(username ? { urls: url, username, credential } : { urls: url });
  });
  return { servers, errors };
}

/** The Settings text for ICE servers. */
export function formatIceServers(servers: RTCIceServer[]): string {
  return servers.map((s) => [Array.isArray(s.urls) ? s.urls[0] : s.urls, s.username, s.credential].filter(Boolean).join(' ')).join('\n');
}

/** Parses signaling server lines: ws:// or wss:// only. */
export function parseSignaling(text: string): { urls: string[]; errors: string[] } {
  const urls: string[] = [];
  const errors: string[] = [];
  settingLines(text).forEach((line, i) => {
    try {
      const u = new URL(line);
      if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Error();
      urls.push(u.href.replace(/\/$/, ''));
    } catch {
      errors.push(t('conn.signalingFormat', { line: i + 1 }));
    }
  });
  if (!urls.length && !errors.length) errors.push(t('conn.addOneServer'));
  return { urls, errors };
}

/** Sends a signaling ping and waits for the pong. */
export function testSignaling(url: string, WebSocketImpl: typeof WebSocket = WebSocket, timeoutMs = 5000): Promise<CheckResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let ws: WebSocket;
    const done = (r: CheckResult) => {
      clearTimeout(timer);
      try {
        ws.close();
      } catch {
        /* already closed */
      }
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, message: t('conn.noAnswer', { url, seconds: timeoutMs / 1000 }) }), timeoutMs);
    try {
      ws = new WebSocketImpl(url);
    } catch {
      return done({ ok: false, message: t('conn.invalidAddress', { url }) });
    }
    ws.onopen = () => ws.send(JSON.stringify({ type: 'ping' }));
    ws.onmessage = (e) => {
      try {
        if (JSON.parse(String(e.data)).type === 'pong') done({ ok: true, message: t('conn.answers', { url, ms: Math.round(performance.now() - t0) }) });
      } catch {
        /* not ours */
      }
    };
    ws.onerror = () => done({ ok: false, message: t('conn.cannotReach', { url }) });
  });
}

/**
 * Opens a real peer connection between two endpoints inside this browser, with the configured ICE
 * servers, and sends a message over it. With STUN/TURN servers it also reports whether they answered.
 */
export async function testPeerConnection(iceServers: RTCIceServer[], timeoutMs = 8000): Promise<CheckResult> {
  const a = new RTCPeerConnection({ iceServers });
  const b = new RTCPeerConnection({ iceServers });
  const kinds = new Set<string>();
  try {
    a.onicecandidate = (e) => {
      if (e.candidate) {
        kinds.add(e.candidate.type ?? 'host');
        void b.addIceCandidate(e.candidate).catch(() => {});
      }
    };
    b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate).catch(() => {});
    const channel = a.createDataChannel('test');
    const received = new Promise<boolean>((resolve) => {
      b.ondatachannel = (e) => (e.channel.onmessage = (m) => resolve(m.data === 'hello'));
      setTimeout(() => resolve(false), timeoutMs);
    });
    channel.onopen = () => channel.send('hello');
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);
    const ok = await received;
    const stun = iceServers.some((s) => String(s.urls).startsWith('stun'));
    const turn = iceServers.some((s) => String(s.urls).startsWith('turn'));
    const extras = [
      stun ? (kinds.has('srflx') ? t('conn.stunAnswered') : t('conn.stunNoAnswer')) : '',
      turn ? (kinds.has('relay') ? t('conn.turnRelays') : t('conn.turnNoAnswer')) : '',
    ].filter(Boolean);
    if (!ok) return { ok: false, message: t('conn.peerFailed', { extras: extras.length ? `; ${extras.join('; ')}` : '' }) };
    return { ok: true, message: t('conn.peerWorks', { extras: extras.length ? `; ${extras.join('; ')}` : '' }) };
  } finally {
    a.close();
    b.close();
  }
}
