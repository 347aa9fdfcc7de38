// A new password typed twice, with its strength shown and a mismatch said in words.
import { useId } from 'react';
import { StrengthMeter } from './StrengthMeter';

export interface NewPasswordFieldsProps {
  ids: [string, string];
  labels: [string, string];
  value: string;
  onChange(v: string): void;
  again: string;
  onAgainChange(v: string): void;
  mismatchText: string;
}

export function NewPasswordFields({ ids, labels, value, onChange, again, onAgainChange, mismatchText }: NewPasswordFieldsProps) {
  const meterId = useId();
  const mismatch = again.length > 0 && again !== value;
  return (
    <>
      <div className="field">
        <label htmlFor={ids[0]}>{labels[0]}</label>
        <input
          id={ids[0]}
          className="input"
          type="password"
          autoComplete="new-password"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={meterId}
        />
        <StrengthMeter password={value} id={meterId} />
      </div>
      <div className="field">
        <label htmlFor={ids[1]}>{labels[1]}</label>
        <input
          id={ids[1]}
          className="input"
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => onAgainChange(e.target.value)}
          aria-invalid={mismatch}
        />
        {mismatch && <span className="error">{mismatchText}</span>}
      </div>
    </>
  );
}
