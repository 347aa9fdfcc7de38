// The button row at the bottom of a form inside a dialog, drawn like the dialog's own footer.
import type { ReactNode } from 'react';

export function FormFoot({ children }: { children: ReactNode }) {
  return <div className="dialog-foot in-body">{children}</div>;
}

/** Cancel + the submit button, which says what is happening while busy. */
export function SubmitFoot({
  busy,
  label,
  busyLabel = 'Working…',
  onCancel,
  disabled,
}: {
  busy: boolean;
  label: string;
  busyLabel?: string;
  onCancel(): void;
  disabled?: boolean;
}) {
  return (
    <FormFoot>
      <button type="button" className="btn" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      <button type="submit" className="btn primary" disabled={busy || disabled}>
        {busy ? busyLabel : label}
      </button>
    </FormFoot>
  );
}
