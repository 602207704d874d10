import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorMessage } from './ErrorMessage.tsx';

afterEach(cleanup);

/** A failed tRPC call as the client hands it over: the §7 sentence in message, code and details in data. */
function failure(message: string, appCode: string, details: { path: string; message: string }[] = []) {
  return Object.assign(new Error(message), { data: { appCode, details } });
}

describe('ErrorMessage', () => {
  it.each([
    [
      'a refused sign-in: the sentence, not the code',
      failure('Email or password is incorrect.', 'FORBIDDEN'),
      'Email or password is incorrect.',
    ],
    [
      "refused scopes: the reasons, without the api's field names",
      failure('You cannot grant this scope: team:write.', 'FORBIDDEN', [
        { path: 'scopes', message: 'team:write is beyond the member role of the token subject' },
      ]),
      'You cannot grant this scope: team:write.team:write is beyond the member role of the token subject',
    ],
    [
      "a validator's stock sentence beside a written one: only the written one",
      failure('Title is required', 'VALIDATION_FAILED', [
        { path: 'title', message: 'Title is required' },
        { path: 'title', message: 'Too small: expected string to have >=1 characters' },
      ]),
      'Title is required',
    ],
  ])('%s', (_case, error, text) => {
    render(<ErrorMessage error={error} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe(text);
    expect(alert.textContent).not.toMatch(/\((FORBIDDEN|VALIDATION_FAILED)\)|scopes |Too small/);
  });

  it('keeps the code for programs, as data-code', () => {
    render(<ErrorMessage error={failure('Email or password is incorrect.', 'FORBIDDEN')} />);
    expect(screen.getByRole('alert').dataset.code).toBe('FORBIDDEN');
  });
});
