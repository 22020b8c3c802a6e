/** A form's closing row: "Cancel" where the form can be left, and its primary submit button. */
export function FormActions(props: { cancelLabel: string; onCancel?(): void; submitLabel: string; busy?: boolean; submitTestId?: string }) {
  return (
    <div className="row end">
      {props.onCancel && (
        <button type="button" onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
      )}
      <button type="submit" className="primary" disabled={props.busy} data-testid={props.submitTestId}>
        {props.submitLabel}
      </button>
    </div>
  );
}
