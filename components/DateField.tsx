import { FieldLabel } from './FieldLabel';
/** A date box with its label, in its own box (two of them sit side by side in a `row wrap`). */
export function DateField(props: { id: string; label: string; value: string; onChange(value: string): void; testId?: string }) {
  return (
    <div>
      <FieldLabel id={props.id} label={props.label} />
      <input id={props.id} type="date" data-testid={props.testId} value={props.value} onChange={(e) => props.onChange(e.target.value)} />
    </div>
  );
}
