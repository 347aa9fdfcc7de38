// A progress bar: determinate when the work is counted, indeterminate when it is one step whose
// length nobody knows (a single platform call).
export function ProgressBar({ labelledBy, done, total }: { labelledBy: string; done?: number; total?: number }) {
  if (done === undefined || !total)
    return (
      <div className="progress indeterminate" role="progressbar" aria-labelledby={labelledBy}>
        <div />
      </div>
    );
  return (
    <div className="progress" role="progressbar" aria-labelledby={labelledBy} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
      <div style={{ width: `${(100 * done) / total}%` }} />
    </div>
  );
}
