import { useEffect, useRef } from 'react';
import { T } from './test-ids';
import { useT } from './i18n';

/** A modal yes/no question (native <dialog>: focus is trapped and Escape cancels). */
export function ConfirmDialog(props: { title: string; body: string; confirmLabel: string; danger?: boolean; onConfirm(): void; onCancel(): void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      data-testid={T.confirmDialog}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="confirm-title">{props.title}</h2>
      <p id="confirm-body">{props.body}</p>
      <div className="row end">
        <button type="button" onClick={props.onCancel} autoFocus>
          {t('confirmDialog.cancel')}
        </button>
        <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm} data-testid={T.confirmYes}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
