/** What a failed call looks like to a person: the §7 sentence and code the api sent. */
export interface ApiFailure {
  message: string;
  code: string | null;
  details: { path: string; message: string }[];
}

/** A validator's stock sentence ("Too small: expected string to have >=1 characters"), not written for people. */
const STOCK_MESSAGE = /^(Too small|Too big|Invalid input|Invalid option|Invalid string|Expected )/;

/**
 * The details worth showing under the message: not the message again, not twice the same, and a validator's
 * stock sentence only when nothing better was said (e.g. "Title is required" beside "Too small: …").
 */
export function readableDetails(message: string, details: ApiFailure['details']): ApiFailure['details'] {
  // A stock sentence only when neither the message nor a detail says it in words.
  const worded = message !== '' || details.some((detail) => !STOCK_MESSAGE.test(detail.message));
  const seen = new Set<string>([message]);
  return details.filter((detail) => {
    if (seen.has(detail.message) || (worded && STOCK_MESSAGE.test(detail.message))) return false;
    seen.add(detail.message);
    return true;
  });
}

/**
 * The §7 message of a failed tRPC call (the server's error formatter puts the sentence in `message` and the
 * code in `data.appCode`); a network failure or anything else gets a plain sentence of its own.
 */
export function apiFailure(error: unknown): ApiFailure {
  if (error && typeof error === 'object') {
    const data = (error as { data?: { appCode?: unknown; details?: unknown } }).data;
    const message = (error as { message?: unknown }).message;
    if (data && typeof data.appCode === 'string' && typeof message === 'string') {
      return {
        message,
        code: data.appCode,
        details: readableDetails(
          message,
          Array.isArray(data.details) ? (data.details as ApiFailure['details']) : [],
        ),
      };
    }
    if (typeof message === 'string' && /fetch|network/i.test(message)) {
      return {
        message: 'The server could not be reached. Check your connection and try again.',
        code: null,
        details: [],
      };
    }
  }
  return { message: 'Something went wrong. Please try again.', code: null, details: [] };
}

export function failureText(error: unknown): string {
  const failure = apiFailure(error);
  return failure.details.length > 0
    ? `${failure.message} ${failure.details.map((detail) => `${detail.path ? `${detail.path}: ` : ''}${detail.message}`).join('; ')}`
    : failure.message;
}
