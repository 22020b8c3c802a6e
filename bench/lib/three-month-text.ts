// Seeded randomness and filler text (English, Russian/Mongolian, Greek) for the three-month notebook.
import { countWords } from '../../lib/notebook';

/** sfc32: small, fast, good enough for test data; seeded through splitmix32. */
export function rng(seed: number) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(),
    b = split(),
    c = split(),
    d = split();
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    /** Log-normal with the given median. */
    logNormal(median: number, sigma: number) {
      const u = Math.max(next(), 1e-12),
        v = next();
      return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    },
    id() {
      let bin = '';
      for (let i = 0; i < 16; i++) bin += String.fromCharCode(Math.floor(next() * 256));
      return Buffer.from(bin, 'latin1').toString('base64url');
    },
    clientId: () => Math.floor(next() * 0x7fffffff) >>> 0,
  };
  return r;
}
export type Rng = ReturnType<typeof rng>;

// ---------------------------------------------------------------------------------------------
// Text

export const EN = (
  'library libraries reader readers collection catalogue archive children families community programme programmes visitors ' +
  'staff volunteers funding budget council school university students research digital access services lending reading room ' +
  'outreach workshop events exhibition local history heritage partnership mentoring librarian librarians public academic ' +
  'members membership survey needs assessment spaces makerspace study quiet noise opening hours evening weekend literacy ' +
  'storytime teenagers seniors newcomers language languages translation books ebooks audiobooks newspapers magazines ' +
  'computers internet wifi printing help desk reference question questions answer policy strategy plan report figures ' +
  'statistics impact value evidence stories advocacy lobbying mayor minister ministry grant grants donors friends network ' +
  'conference training skills career job move moving city village rural urban branch branches mobile bus delivery ' +
  'the a an and or but of to in on for with from by about as at into over after before during between through because ' +
  'we they our their this that these those it is was are were be been has have had will would can could should may might ' +
  'not only also more most very many much some every each other new old small large better good great first last next ' +
  'year years month week day days time people person group groups place places way ways part work working worked ' +
  'think thought found learned saw asked told said made make started opened closed visited compared shared wrote read ' +
  'how why what when where who which while although however therefore since still yet even just really quite often'
).split(' ');
export const RU = (
  'библиотека библиотеки читатели читатель фонд каталог архив дети семьи сообщество программа посетители сотрудники ' +
  'волонтёры финансирование бюджет школа университет студенты исследование цифровой доступ услуги чтение зал выставка ' +
  'история наследие партнёрство наставничество город село книги журналы газеты компьютеры интернет помощь вопрос ответ ' +
  'и в на с по для от до из о что как это мы они наш их был была были будет может можно очень много новый год день'
).split(' ');
export const EL = (
  'βιβλιοθήκη βιβλιοθήκες αναγνώστες συλλογή κατάλογος αρχείο παιδιά οικογένειες κοινότητα πρόγραμμα επισκέπτες προσωπικό ' +
  'εθελοντές χρηματοδότηση σχολείο πανεπιστήμιο φοιτητές έρευνα ψηφιακή πρόσβαση υπηρεσίες ανάγνωση αίθουσα έκθεση ιστορία ' +
  'και το η ο σε με για από που είναι ήταν θα μπορεί πολύ νέος χρόνος ημέρα'
).split(' ');

export function sentence(r: Rng, words: readonly string[], min = 8, max = 22): string {
  const n = r.int(min, max);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.pick(words));
  const s = out.join(' ');
  return s[0]!.toUpperCase() + s.slice(1) + (r.chance(0.1) ? '?' : '.');
}

export function paragraph(r: Rng, words: readonly string[]): string {
  const n = r.int(2, 6);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(sentence(r, words));
  return out.join(' ');
}

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** An article of about `bytes` UTF-8 bytes of text, with readable HTML like the clipper's sanitised output. */
export function article(r: Rng, words: readonly string[], bytes: number, site: string): { text: string; html: string; words: number } {
  const paras: string[] = [];
  const html: string[] = [];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    if (n > 0 && n % r.int(4, 8) === 0) {
      const h = sentence(r, words, 3, 7).replace(/[.?]$/, '');
      paras.push(h);
      html.push(`<h2>${esc(h)}</h2>`);
      size += utf8(h) + 2;
    }
    const p = paragraph(r, words);
    paras.push(p);
    // Some links and emphasis, as real articles have.
    let ph = esc(p);
    if (r.chance(0.25)) {
      const w = ph.split(' ');
      const i = r.int(0, Math.max(0, w.length - 3));
      w[i] = `<a href="https://${site}/${r.pick(EN)}-${r.int(1, 999)}">${w[i]}`;
      w[i + 1] = `${w[i + 1]}</a>`;
      ph = w.join(' ');
    }
    if (r.chance(0.15)) ph = ph.replace(/^(\S+ \S+)/, '<strong>$1</strong>');
    html.push(`<p>${ph}</p>`);
    size += utf8(p) + 2;
    n++;
  }
  const text = paras.join('\n\n');
  return { text, html: `<article>${html.join('')}</article>`, words: countWords(text) };
}
