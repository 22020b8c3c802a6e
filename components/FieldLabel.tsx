/** The <label> of the control with `id`; `hidden` keeps it for screen readers only. */
export function FieldLabel(props: { id: string; label: string; hidden?: boolean }) {
  return (
    <label htmlFor={props.id} className={props.hidden ? 'sr-only' : undefined}>
      {props.label}
    </label>
  );
}
