// Cleaning pasted text: control characters, whitespace, and shortening for messages.
export const short = (s: string, max = 40) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
// C0/C1 controls and zero-width/bidi marks that pasting from e-mail or Word drags along.
export const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

export const cleanTitle = (s: string) => s.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
export const cleanPrompt = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
