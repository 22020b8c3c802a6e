import { useEffect, useMemo, useRef } from 'react';
import type * as Y from 'yjs';
import { applyTextEdit } from '../lib/notebook';

/**
 * A text input bound to a collaborative Y.Text: typing applies a minimal edit (so two partners
 * typing in the same field both keep their words), and a partner's edit updates the field
 * without moving this person's cursor. Uncontrolled on purpose: React re-setting `value` on
 * every remote change would throw the caret to the end.
 */
export function PosterField(props: {
  text: Y.Text;
  id: string;
  label: string;
  multiline?: boolean;
  rows?: number;
  hint?: string;
  placeholder?: string;
  maxLength?: number;
  testId?: string;
  /** Hide the label visually (it still names the field for screen readers). */
  labelHidden?: boolean;
}) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  // Our own edits carry this origin, so the observer can tell them from a partner's.
  const origin = useMemo(() => ({ field: props.id }), [props.id]);
  const { text } = props;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.value = text.toString();
    const onChange = (e: Y.YTextEvent, tr: Y.Transaction) => {
      if (tr.origin === origin) return;
      let start = el.selectionStart ?? 0;
      let end = el.selectionEnd ?? 0;
      let pos = 0;
      // Shift this person's selection by what changed before it.
      for (const d of e.delta) {
        if (d.retain) pos += d.retain;
        else if (typeof d.insert === 'string') {
          const n = d.insert.length;
          if (pos < start) start += n;
          if (pos < end) end += n;
          pos += n;
        } else if (d.delete) {
          if (pos < start) start -= Math.min(d.delete, start - pos);
          if (pos < end) end -= Math.min(d.delete, end - pos);
        }
      }
      el.value = text.toString();
      if (document.activeElement === el) el.setSelectionRange(start, end);
    };
    text.observe(onChange);
    return () => text.unobserve(onChange);
  }, [text, origin]);

  const common = {
    id: props.id,
    ref,
    placeholder: props.placeholder,
    maxLength: props.maxLength,
    'data-testid': props.testId,
    'aria-describedby': props.hint ? `${props.id}-hint` : undefined,
    onInput: (e: React.FormEvent<HTMLInputElement | HTMLTextAreaElement>) => applyTextEdit(text, e.currentTarget.value, origin),
  };
  return (
    <div className="field poster-field">
      <label htmlFor={props.id} className={props.labelHidden ? 'sr-only' : undefined}>
        {props.label}
      </label>
      {props.hint && (
        <p id={`${props.id}-hint`} className="muted small">
          {props.hint}
        </p>
      )}
      {props.multiline ? <textarea rows={props.rows ?? 4} {...common} /> : <input type="text" {...common} />}
    </div>
  );
}
