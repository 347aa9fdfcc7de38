// A warning before an action the platform will refuse to the workspace's credential.
export function AccessWarning({ platform, reason, consequence }: { platform: string; reason: string | null; consequence: string }) {
  if (!reason) return null;
  return (
    <div className="notice warn" role="status" data-testid="access-warning">
      <span className="title">
        {platform} will refuse this: {reason}.
      </span>
      {consequence}
    </div>
  );
}
