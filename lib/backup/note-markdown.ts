/**
 * A topic's note (the Tiptap document in a Y.XmlFragment) as Markdown, for the readable copy
 * inside a backup file. Read-only and lossy on purpose: the Yjs state in the same file is what a
 * restore uses; this text is for a librarian opening the file in any editor without the extension.
 */
import * as Y from 'yjs';

type Node = Y.XmlElement | Y.XmlText | Y.XmlHook | Y.XmlFragment;

// Enough escaping that note text cannot turn into a link, an image or markup in a viewer; block
// markers are only special at the start of a line.
const escapeInline = (s: string) => s.replace(/[\\`*_[\]<>|~]/g, '\\$&');
const escapeLineStart = (s: string) => s.replace(/^(\s*)([#>+=-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');

function inline(el: Y.XmlElement | Y.XmlFragment): string {
  let out = '';
  for (const child of el.toArray() as Node[]) {
    if (child instanceof Y.XmlText) {
      for (const d of child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
        if (typeof d.insert !== 'string') continue;
        const a = d.attributes ?? {};
        let t = a.code ? `\`${d.insert.replace(/`/g, '')}\`` : escapeInline(d.insert);
        if (a.bold) t = `**${t}**`;
        if (a.italic) t = `*${t}*`;
        if (a.strike) t = `~~${t}~~`;
        const href = (a.link as { href?: unknown } | undefined)?.href;
        // Only web and mail links: a peer could have stored a javascript: address.
        if (typeof href === 'string' && /^(https?:|mailto:)/i.test(href)) t = `[${t}](<${href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
        out += t;
      }
    } else if (child instanceof Y.XmlElement) {
      out += child.nodeName === 'hardBreak' ? '  \n' : inline(child);
    }
  }
  return out;
}

const indent = (text: string, prefix: string, first = prefix) =>
  text
    .split('\n')
    .map((l, i) => (i === 0 ? first : l ? prefix : prefix.trimEnd()) + l)
    .join('\n');

function blocks(el: Y.XmlElement | Y.XmlFragment): string {
  return (el.toArray() as Node[])
    .map((c) => (c instanceof Y.XmlElement ? block(c) : c instanceof Y.XmlText ? escapeLineStart(escapeInline(c.toString())) : ''))
    .filter((s) => s !== '')
    .join('\n\n');
}

function block(el: Y.XmlElement): string {
  switch (el.nodeName) {
    case 'paragraph':
      return escapeLineStart(inline(el));
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(el.getAttribute('level')) || 1));
      return `${'#'.repeat(level)} ${inline(el)}`;
    }
    case 'bulletList':
      return (el.toArray() as Node[]).map((li) => (li instanceof Y.XmlElement ? indent(blocks(li), '  ', '- ') : '')).join('\n');
    case 'orderedList': {
      const start = Number(el.getAttribute('start')) || 1;
      return (el.toArray() as Node[]).map((li, i) => (li instanceof Y.XmlElement ? indent(blocks(li), '   ', `${start + i}. `) : '')).join('\n');
    }
    case 'blockquote':
      return indent(blocks(el), '> ');
    case 'codeBlock': {
      const text = (el.toArray() as Node[]).map((c) => (c instanceof Y.XmlText ? c.toString() : '')).join('');
      return `\`\`\`\n${text.replace(/```/g, '``\u200b`')}\n\`\`\``;
    }
    case 'horizontalRule':
      return '---';
    default:
      return blocks(el);
  }
}

/** The note as Markdown (paragraphs, headings, lists, quotes, code, bold/italic/links). */
export function fragmentMarkdown(fragment: Y.XmlFragment): string {
  return blocks(fragment).trim();
}
