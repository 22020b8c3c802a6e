import { useState } from 'react';
import { FieldLabel } from './FieldLabel';

/**
 * A one-line "add" form: a text box named for screen readers only, and a submit button. It keeps
 * its own text, hands it on trimmed (blank text is ignored unless `acceptBlank`), and clears it
 * unless `onAdd` returns false.
 */
export function AddForm(props: {
  id: string;
  /** The form's class (always a `row`). */
  className?: string;
  /** The box's name (for screen readers), its placeholder, and the button's words. */
  texts: { label: string; placeholder: string; button: string };
  maxLength: number;
  /** The box fills the row. */
  grow?: boolean;
  /** A <datalist> to suggest from. */
  list?: string;
  testIds?: { input?: string; button?: string };
  /** Hand on the text as typed, blank included (the caller says why blank is refused). */
  acceptBlank?: boolean;
  /** Called with the text; returning false keeps it in the box. */
  onAdd(text: string): boolean | void;
}) {
  const [text, setText] = useState('');
  return (
    <form
      className={props.className ?? 'row'}
      onSubmit={(e) => {
        e.preventDefault();
        if (!props.acceptBlank && !text.trim()) return;
        if (props.onAdd(props.acceptBlank ? text : text.trim()) !== false) setText('');
      }}
    >
      <FieldLabel id={props.id} label={props.texts.label} hidden />
      <input
        id={props.id}
        className={props.grow ? 'grow' : undefined}
        list={props.list}
        placeholder={props.texts.placeholder}
        value={text}
        maxLength={props.maxLength}
        onChange={(e) => setText(e.target.value)}
        data-testid={props.testIds?.input}
      />
      <button type="submit" data-testid={props.testIds?.button}>
        {props.texts.button}
      </button>
    </form>
  );
}
