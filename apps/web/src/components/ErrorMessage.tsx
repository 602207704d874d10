import { apiFailure } from '../lib/errors.ts';

/**
 * A refused or failed call, in the api's own sentence (§7). The code stays out of the text (people read the
 * sentence; the code is for programs) but is kept as data-code; details add what the sentence does not say.
 */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const failure = apiFailure(error);
  return (
    <div className="alert alert-error" role="alert" data-code={failure.code ?? undefined}>
      <p>{failure.message}</p>
      {failure.details.length > 0 ? (
        <ul>
          {failure.details.map((detail) => (
            <li key={`${detail.path}:${detail.message}`}>{detail.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
