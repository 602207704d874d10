/** What a failed call looks like to a person: the §7 sentence and code the api sent. */
export interface ApiFailure {
  message: string;
  code: string | null;
  details: { path: string; message: string }[];
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
        details: Array.isArray(data.details) ? (data.details as ApiFailure['details']) : [],
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
