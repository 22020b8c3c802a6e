import { useState } from 'react';

/**
 * A one-line "add" form: a text box named for screen readers only, and a submit button. It keeps
 * its own text and clears it when `onAdd` says the text was used.
 */
export function AddForm(props: {
  id: string;
  /** The form's class (always a `row`). */
  className?: string;
  label: string;
  placeholder: string;
  maxLength: number;
  buttonLabel: string;
  /** The text box's class (`grow` to fill the row). */
  inputClassName?: string;
  /** A <datalist> to suggest from. */
  list?: string;
  inputTestId?: string;
  buttonTestId?: string;
  /** Called with the text as typed; returns whether it was used (then the box is emptied). */
  onAdd(text: string): boolean;
}) {
  const [text, setText] = useState('');
  return (
    <form
      className={props.className ?? 'row'}
      onSubmit={(e) => {
        e.preventDefault();
        if (props.onAdd(text)) setText('');
      }}
    >
      <label htmlFor={props.id} className="sr-only">
        {props.label}
      </label>
      <input
        id={props.id}
        className={props.inputClassName}
        list={props.list}
        placeholder={props.placeholder}
        value={text}
        maxLength={props.maxLength}
        onChange={(e) => setText(e.target.value)}
        data-testid={props.inputTestId}
      />
      <button type="submit" data-testid={props.buttonTestId}>
        {props.buttonLabel}
      </button>
    </form>
  );
}
