/** The small "×" button that removes one item of a list; `label` says which, for screen readers. */
export function RemoveButton(props: { label: string; onClick(): void }) {
  return (
    <button type="button" className="icon-button" aria-label={props.label} onClick={props.onClick}>
      ×
    </button>
  );
}
