import { FieldLabel } from './FieldLabel';
/** One choice in a {@link SelectField}. */
export type SelectOption = { value: string; label: string };

/**
 * A <select> with its <label> (visible, or for screen readers only), optionally led by an "empty"
 * choice with the value '' ("All topics", "Choose…"). Renders the two side by side: the caller
 * places them in its own row or box.
 */
export function SelectField(props: {
  id: string;
  label: string;
  hideLabel?: boolean;
  value: string;
  onChange(value: string): void;
  options: readonly SelectOption[];
  /** The label of a first choice with the value ''. */
  emptyLabel?: string;
  className?: string;
  testId?: string;
  /** Also name the <select> itself (kept where end-to-end tests find it by this name). */
  ariaLabel?: string;
}) {
  return (
    <>
      <FieldLabel id={props.id} label={props.label} hidden={props.hideLabel} />
      <select
        id={props.id}
        className={props.className}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
        aria-label={props.ariaLabel}
      >
        {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </>
  );
}
