/** A form's error, announced as soon as it shows (nothing while `message` is empty). */
export function FormError(props: { message: string; id?: string; testId?: string }) {
  if (!props.message) return null;
  return (
    <p id={props.id} className="error" role="alert" data-testid={props.testId}>
      {props.message}
    </p>
  );
}
