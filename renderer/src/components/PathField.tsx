// A file path field: typed, or filled by main's native file dialog ("Choose…"). Without a desktop
// (the e2e bridge) the dialog answers null and the field says to type the path.
import { useId, useState, type ReactNode } from 'react';
import { chooseFile, hasNativeDialogs, type FileDialogSpec } from '../lib/desktop';

export interface PathFieldProps {
  id: string;
  label: string;
  value: string;
  /** `token`: the path came from main's dialog (typing clears it) */
  onChange(value: string, token?: string): void;
  dialog: FileDialogSpec;
  placeholder?: string;
  hint?: ReactNode;
  autoFocus?: boolean;
}

export function PathField({ id, label, value, onChange, dialog, placeholder, hint, autoFocus }: PathFieldProps) {
  const hintId = useId();
  const [noDialog, setNoDialog] = useState(false);
  const [error, setError] = useState(false);
  const choose = async () => {
    setError(false);
    try {
      const chosen = await chooseFile(dialog);
      if (chosen) onChange(chosen.path, chosen.token);
      else setNoDialog(!(await hasNativeDialogs()));
    } catch {
      setError(true);
    }
  };
  const note = error
    ? 'The file dialog did not open: type the full path.'
    : noDialog
      ? 'No file dialog in this window: type the full path.'
      : hint;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="path-row">
        <input
          id={id}
          className="input mono"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder={placeholder}
          spellCheck={false}
          autoFocus={autoFocus}
          aria-describedby={note ? hintId : undefined}
        />
        <button type="button" className="btn" onClick={() => void choose()} title={dialog.title}>
          Choose…
        </button>
      </div>
      {note && (
        <span
          id={hintId}
          className="hint"
          role={noDialog || error ? 'status' : undefined}
          data-testid={noDialog ? 'no-file-dialog' : undefined}
        >
          {note}
        </span>
      )}
    </div>
  );
}
