import { tokenDisplayPrefix } from '@tollgate/domain';

/**
 * What to send as the list search for what the person typed: a whole token pasted into the box is cut to its
 * prefix (the first 12 characters), so the secret never leaves the page in a query string.
 */
export function searchTextOf(typed: string): string {
  const text = typed.trim();
  // Any TOKEN_PREFIX: letters and digits, p or s, "_", then at least the 30 secret characters.
  return /^[0-9A-Za-z]*[ps]_[0-9A-Za-z]{30,}$/.test(text) ? tokenDisplayPrefix(text) : text;
}
