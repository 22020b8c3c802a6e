/**
 * The top of a page reached from another: a "back" link-button, then the page's heading (focusable,
 * so the panel can move focus to it when the page opens).
 */
export function BackAndHeading(props: { backLabel: string; onBack(): void; headingId?: string; heading: string }) {
  return (
    <>
      <button type="button" className="link-button" onClick={props.onBack}>
        {props.backLabel}
      </button>
      <h1 id={props.headingId} tabIndex={-1}>
        {props.heading}
      </h1>
    </>
  );
}
