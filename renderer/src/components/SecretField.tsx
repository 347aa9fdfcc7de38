// A password or passphrase that opens something: typing again clears the "wrong" verdict, which
// is said in words beside the field (and announced) rather than by colour alone.
import { useId, type Ref } from 'react';

export interface SecretFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(v: string): void;
  /** the last try was refused; cleared by onWrongChange(false) as soon as the user types */
  wrong: boolean;
  onWrongChange(wrong: boolean): void;
  wrongText: string;
  autoComplete: 'current-password' | 'off';
  autoFocus?: boolean;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  wrongTestId?: string;
}

export function SecretField(props: SecretFieldProps) {
  const errorId = useId();
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        ref={props.inputRef}
        id={props.id}
        className="input"
        type="password"
        autoComplete={props.autoComplete}
        value={props.value}
        onChange={(e) => {
          props.onChange(e.target.value);
          props.onWrongChange(false);
        }}
        aria-invalid={props.wrong}
        aria-describedby={props.wrong ? errorId : undefined}
        autoFocus={props.autoFocus}
        disabled={props.disabled}
      />
      {props.wrong && (
        <span id={errorId} className="error" role="alert" data-testid={props.wrongTestId}>
          {props.wrongText}
        </span>
      )}
    </div>
  );
}
