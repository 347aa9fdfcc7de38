import { estimateStrength } from '../lib/strength';

export function StrengthMeter({ password, id }: { password: string; id: string }) {
  const s = estimateStrength(password);
  return (
    <div id={id} aria-live="polite">
      <div className="strength" data-score={s.score} aria-hidden="true">
        <span />
        <span />
        <span />
        <span />
      </div>
      <span className="hint" data-testid="strength-label">
        {s.score === 0 ? '\u00a0' : `Strength: ${s.label}`}
        {s.score > 0 && s.score < 3 ? ' — a longer passphrase of several unrelated words is stronger.' : ''}
      </span>
    </div>
  );
}
