import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERRORS, type ErrorCode, errorBody, isTollgateError, TollgateError } from './errors.ts';

// §7 table, by hand.
const CONTRACT: [number, ErrorCode[]][] = [
  [400, ['VALIDATION_FAILED', 'UNKNOWN_SCOPE']],
  [
    401,
    ['MISSING_TOKEN', 'MALFORMED_TOKEN', 'INVALID_TOKEN', 'TOKEN_EXPIRED', 'TOKEN_INACTIVE', 'TOKEN_REVOKED'],
  ],
  [402, ['INSUFFICIENT_CREDITS']],
  [403, ['INSUFFICIENT_SCOPE', 'IP_NOT_ALLOWED', 'ROLE_NOT_ALLOWED', 'SESSIONS_NOT_ALLOWED', 'FORBIDDEN']],
  [404, ['NOT_FOUND']],
  [409, ['CONFLICT']],
  [413, ['PAYLOAD_TOO_LARGE']],
  [415, ['UNSUPPORTED_MEDIA_TYPE']],
  [429, ['RATE_LIMITED']],
  [500, ['INTERNAL']],
  [503, ['UNAVAILABLE']],
];

describe('ERRORS', () => {
  describe.each(CONTRACT)('status %d', (status, codes) => {
    it.each(codes)('%s', (code) => {
      expect(ERRORS[code].status).toBe(status);
      expect(ERRORS[code].message).toMatch(/^[A-Z].*\.$/);
    });
  });

  it('has exactly the codes of §7, nothing more', () => {
    expect([...ERROR_CODES].sort()).toEqual(CONTRACT.flatMap(([, codes]) => codes).sort());
  });

  it('uses the contract sentence for RATE_LIMITED', () => {
    expect(ERRORS.RATE_LIMITED.message).toBe('Rate limit exceeded. Please try again later.');
  });
});

describe('TollgateError', () => {
  it('takes status and default message from the table', () => {
    const err = new TollgateError('TOKEN_REVOKED');
    expect(err).toBeInstanceOf(Error);
    expect(err.status).toBe(401);
    expect(err.message).toBe(ERRORS.TOKEN_REVOKED.message);
    expect(err.name).toBe('TollgateError');
    expect(err.details).toBeUndefined();
  });

  it('keeps a custom message and details', () => {
    const details = [{ path: 'scopes.1', message: 'Unknown scope "wiki:admin"' }];
    const err = new TollgateError('UNKNOWN_SCOPE', 'Unknown scope: wiki:admin', details);
    expect(err.message).toBe('Unknown scope: wiki:admin');
    expect(err.details).toEqual(details);
  });
});

describe('isTollgateError', () => {
  it.each([
    ['a TollgateError', new TollgateError('CONFLICT'), true],
    ['a plain Error', new Error('boom'), false],
    ['a look-alike object', { name: 'TollgateError', code: 'CONFLICT', message: 'x' }, false],
    [
      'an Error named TollgateError with an unknown code',
      Object.assign(new Error('x'), { name: 'TollgateError', code: 'NOPE' }),
      false,
    ],
    [
      'an Error from another copy of the package',
      Object.assign(new Error('x'), { name: 'TollgateError', code: 'CONFLICT' }),
      true,
    ],
    ['null', null, false],
  ])('%s → %s', (_label, value, expected) => {
    expect(isTollgateError(value)).toBe(expected);
  });
});

describe('errorBody', () => {
  it('renders the §7 body', () => {
    expect(errorBody(new TollgateError('RATE_LIMITED'))).toEqual({
      success: false,
      error: 'Rate limit exceeded. Please try again later.',
      code: 'RATE_LIMITED',
    });
  });

  it('includes details only when there are some', () => {
    const details = [{ path: 'name', message: 'Required' }];
    expect(errorBody(new TollgateError('VALIDATION_FAILED', undefined, details))).toEqual({
      success: false,
      error: ERRORS.VALIDATION_FAILED.message,
      code: 'VALIDATION_FAILED',
      details,
    });
    expect(errorBody(new TollgateError('VALIDATION_FAILED', undefined, []))).not.toHaveProperty('details');
  });

  it('hides the message of any other error behind INTERNAL', () => {
    const body = errorBody(new Error('relation "tokens" does not exist at /srv/app/db.ts:12'));
    expect(body).toEqual({ success: false, error: ERRORS.INTERNAL.message, code: 'INTERNAL' });
    expect(JSON.stringify(body)).not.toContain('tokens');
    expect(errorBody('a string')).toMatchObject({ code: 'INTERNAL' });
  });
});
