import { explain } from '../lib/errors';

/** A failure in words, with the platform's own message in a monospace line beneath. */
export function ErrorNotice({ error, doing }: { error: unknown; doing?: string }) {
  if (error === undefined || error === null) return null;
  const e = explain(error, doing);
  return (
    <div className="notice danger" role="alert" data-testid="error" data-code={e.code}>
      <span className="title">{e.title}</span>
      {e.detail && (
        <span className="platform-message">
          <span className="visually-hidden">Details: </span>
          {e.detail}
        </span>
      )}
    </div>
  );
}
