import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { Awareness } from 'y-protocols/awareness';
import Highlight from '@tiptap/extension-highlight';
import { Placeholder } from '@tiptap/extensions';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import { useEffect } from 'react';
import StarterKit from '@tiptap/starter-kit';
import type * as Y from 'yjs';
import { T } from './test-ids';
import { useT } from './i18n';
import { t as tGlobal } from '../lib/i18n';

/**
 * Inserts a clip's quote at the cursor: a blockquote, then "— Title (Site)" linking to the source,
 * or "— Title (Dorj, 2024, p. 3)" when a citation with pages is given (a passage of a PDF).
 */
export function insertQuote(editor: Editor, quote: string, title: string, url: string | undefined, site?: string, citation?: string) {
  const source = url && isAllowedLink(url) ? [{ type: 'text', text: title, marks: [{ type: 'link', attrs: { href: url } }] }] : [{ type: 'text', text: title }];
  editor
    .chain()
    .focus()
    .insertContent([
      {
        type: 'blockquote',
        content: quote
          .split(/\n{2,}/)
          .filter(Boolean)
          .map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p }] })),
      },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: '— ' },
          ...source,
          ...(citation ? [{ type: 'text', text: ` ${citation}` }] : site ? [{ type: 'text', text: ` (${site})` }] : []),
        ],
      },
      // The caret ends on a fresh line after the source, so what the person types next is theirs.
      { type: 'paragraph' },
    ])
    .run();
}

/** Only web and mail links may be added to a note (no javascript:, data: …). */
export const isAllowedLink = (href: string) => /^(https?:|mailto:)/i.test(href.trim());

/** The shared rich-text note of one topic, bound to its Yjs fragment. Undo/redo go through Yjs. */
/** Live co-editing: the awareness of the notebook's sync, and how this person's caret looks to partners. */
export interface NoteCollab {
  awareness: Awareness;
  /** Written into the awareness `user` field by CollaborationCaret: keep the id, presence reads it. */
  user: { id: string; name: string; color: string };
}

/** The label partners see at someone's caret (their name on their colour). */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(user.color) ? user.color : '#57606a';
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  caret.style.borderColor = color;
  const label = document.createElement('span');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = color;
  // textContent, never innerHTML: the name comes from a partner's browser.
  label.textContent = typeof user.name === 'string' ? user.name.slice(0, 80) : tGlobal('noteEditor.partner');
  caret.append(label);
  return caret;
}

export function NoteEditor(props: { fragment: Y.XmlFragment; label: string; onEditor?(editor: Editor | null): void; collab?: NoteCollab }) {
  const t = useT();
  const editor = useEditor(
    {
      extensions: [
        // Yjs owns history: ProseMirror's own undo would undo partners' edits too.
        StarterKit.configure({
          undoRedo: false,
          link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'], isAllowedUri: (url) => isAllowedLink(url) },
        }),
        Highlight,
        Placeholder.configure({ placeholder: t('noteEditor.writeWhatYouDiscussed') }),
        Collaboration.configure({ fragment: props.fragment }),
        ...(props.collab
          ? [CollaborationCaret.configure({ provider: { awareness: props.collab.awareness }, user: props.collab.user, render: renderCaret })]
          : []),
      ],
      editorProps: { attributes: { 'aria-label': props.label, 'aria-multiline': 'true', role: 'textbox', class: 'note-body', 'data-testid': T.noteEditor } },
    },
    [props.fragment, props.collab?.awareness],
  );
  const { onEditor } = props;
  useEffect(() => {
    onEditor?.(editor);
    return () => onEditor?.(null);
  }, [editor, onEditor]);
  if (!editor) return null;
  return (
    <div className="note">
      <Toolbar editor={editor} />
      <EditorContent editor={editor} />
    </div>
  );
}

function Toolbar({ editor }: { editor: Editor }) {
  const t = useT();
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      highlight: e.isActive('highlight'),
      h2: e.isActive('heading', { level: 2 }),
      bullet: e.isActive('bulletList'),
      quote: e.isActive('blockquote'),
      link: e.isActive('link'),
    }),
  });
  const btn = (label: string, text: string, active: boolean | undefined, run: () => void, shortcut?: string) => (
    <button
      type="button"
      aria-label={label}
      title={shortcut ? `${label} (${shortcut})` : label}
      aria-pressed={active === undefined ? undefined : active}
      onMouseDown={(e) => e.preventDefault()}
      onClick={run}
    >
      {text}
    </button>
  );
  const chain = () => editor.chain().focus();
  return (
    <div className="toolbar" role="toolbar" aria-label={t('noteEditor.formatting')}>
      {btn(t('noteEditor.bold'), 'B', state.bold, () => chain().toggleBold().run(), 'Ctrl+B')}
      {btn(t('noteEditor.italic'), 'I', state.italic, () => chain().toggleItalic().run(), 'Ctrl+I')}
      {btn(t('noteEditor.highlight'), 'H', state.highlight, () => chain().toggleHighlight().run())}
      {btn(t('noteEditor.heading'), 'H2', state.h2, () => chain().toggleHeading({ level: 2 }).run())}
      {btn(t('noteEditor.bulletedList'), '•', state.bullet, () => chain().toggleBulletList().run())}
      {btn(t('noteEditor.quote'), '“', state.quote, () => chain().toggleBlockquote().run())}
      {btn(t('noteEditor.link'), t('noteEditor.link'), state.link, () => {
        if (state.link) return void chain().unsetLink().run();
        const href = window.prompt(t('noteEditor.linkAddressHttps'));
        if (href && isAllowedLink(href)) chain().setLink({ href: href.trim() }).run();
      })}
      {btn(t('noteEditor.undo'), '↶', undefined, () => chain().undo().run(), 'Ctrl+Z')}
      {btn(t('noteEditor.redo'), '↷', undefined, () => chain().redo().run(), 'Ctrl+Shift+Z')}
    </div>
  );
}
