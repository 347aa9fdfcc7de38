// A choice between kinds of key, each card saying what it is and why one would pick it.
export function RadioCards<T extends string>({
  legend,
  name,
  choices,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  choices: Record<T, { what: string; why: string }>;
  value: T;
  onChange(v: NoInfer<T>): void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="radio-cards">
        {(Object.keys(choices) as T[]).map((c) => (
          <label key={c} className="radio-card">
            <input type="radio" name={name} value={c} checked={value === c} onChange={() => onChange(c)} />
            <span>
              <span className="what" style={{ display: 'block' }}>
                {choices[c].what}
              </span>
              <span className="why">{choices[c].why}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
