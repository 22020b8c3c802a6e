import { FieldLabel } from './FieldLabel';
/** A one-line text box under its label. Renders the two side by side: the caller places them. */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  maxLength: number;
  placeholder?: string;
  testId?: string;
  autoFocus?: boolean;
  required?: boolean;
  autoComplete?: string;
  /** Set (true or false) where the field says whether it is wrong. */
  invalid?: boolean;
  /** The id of what explains the field (its error). */
  describedBy?: string;
}) {
  return (
    <>
      <FieldLabel id={props.id} label={props.label} />
      <input
        id={props.id}
        data-testid={props.testId}
        value={props.value}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        required={props.required}
        autoComplete={props.autoComplete}
        aria-invalid={props.invalid}
        aria-describedby={props.describedBy}
        onChange={(e) => props.onChange(e.target.value)}
        autoFocus={props.autoFocus}
      />
    </>
  );
}
