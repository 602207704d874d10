import { apiFailure } from '../lib/errors.ts';

/** A refused or failed call, with the §7 sentence the api sent and its code. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const failure = apiFailure(error);
  return (
    <div className="alert alert-error" role="alert">
      <p>
        {failure.message}
        {failure.code ? <span className="error-code"> ({failure.code})</span> : null}
      </p>
      {failure.details.length > 0 ? (
        <ul>
          {failure.details.map((detail) => (
            <li key={`${detail.path}:${detail.message}`}>
              {detail.path ? <code>{detail.path}</code> : null} {detail.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
