import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyCreateTokenForm, validateCreateTokenForm } from '../lib/create-token.ts';
import { CreateTokenFormView } from './CreateTokenDialog.tsx';

afterEach(cleanup);

const NO_LIMITS = { maxTokenLifetimeDays: null, requireExpiry: false };
const POLICY = {
  tokenUseRoles: ['owner', 'admin', 'member', 'viewer'] as const,
  tokenCreateRoles: ['owner', 'admin', 'member'] as const,
  apiAccess: 'tokens_and_sessions' as const,
  allowedIpRanges: [],
  revokeOnReuse: false,
};

function setup(props: Partial<Parameters<typeof CreateTokenFormView>[0]> = {}) {
  const onSubmit = vi.fn();
  render(
    <CreateTokenFormView
      creatorRole="member"
      userId="usr_me"
      policy={{
        ...POLICY,
        tokenUseRoles: [...POLICY.tokenUseRoles],
        tokenCreateRoles: [...POLICY.tokenCreateRoles],
        ...NO_LIMITS,
      }}
      onSubmit={onSubmit}
      onCancel={() => {}}
      {...props}
    />,
  );
  return { onSubmit, user: userEvent.setup() };
}

describe('the create token form', () => {
  it('refuses a missing name and an invalid IP line, naming the line, and sends nothing', async () => {
    const { onSubmit, user } = setup();
    await user.type(screen.getByLabelText(/IP allowlist/), '10.0.0.0/8\n10.0.0.300');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Name is required')).toBeTruthy();
    expect(screen.getByText(/^Line 2 \(10\.0\.0\.300\)/)).toBeTruthy();
  });

  it('sends the default scopes, the expiry, the environment and the allowlist once the form is valid', async () => {
    const { onSubmit, user } = setup();
    await user.type(screen.getByLabelText('Name'), 'Deploy bot');
    await user.selectOptions(screen.getByLabelText('Expiry'), '30');
    await user.type(screen.getByLabelText(/Environment/), 'production');
    await user.type(screen.getByLabelText(/IP allowlist/), ' 203.0.113.7 \n\n2001:db8::/32');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]?.[0].input).toEqual({
      name: 'Deploy bot',
      scopes: [
        'organization:read',
        'repositories:read',
        'reviews:read',
        'billing:read',
        'wiki:read',
        'wiki:write',
      ],
      ipAllowlist: ['203.0.113.7', '2001:db8::/32'],
      environment: 'production',
      expiresInDays: 30,
    });
  });

  it("offers only the expiries the organisation's policy allows", () => {
    setup({
      policy: {
        ...POLICY,
        tokenUseRoles: [],
        tokenCreateRoles: [],
        maxTokenLifetimeDays: 30,
        requireExpiry: true,
      },
    });
    const options = [...(screen.getByLabelText('Expiry') as HTMLSelectElement).options];
    const disabled = options.filter((option) => option.disabled).map((option) => option.value);
    expect(disabled).toEqual(['none', '90']);
    // The first allowed choice is preselected, never a refused one.
    expect((screen.getByLabelText('Expiry') as HTMLSelectElement).value).toBe('7');
    expect(screen.getByText('Your organisation allows at most 30 days.')).toBeTruthy();
  });

  it('shows "on behalf of" and service tokens to admins only', () => {
    setup({
      creatorRole: 'admin',
      members: [{ userId: 'usr_other', name: 'Max', email: 'max@example.test' }],
    });
    const owner = screen.getByLabelText('Token for') as HTMLSelectElement;
    expect([...owner.options].map((option) => option.value)).toEqual(['me', 'user:usr_other', 'service']);
    cleanup();
    setup({ creatorRole: 'member' });
    expect(screen.queryByLabelText('Token for')).toBeNull();
  });

  it.each([
    ['no scope at all', { scopes: new Set() }, 'scopes', 'Choose at least one scope.'],
    [
      'a date in the past',
      { expiry: 'date', expiryDate: '2020-01-01' },
      'expiry',
      'The expiry date must be in the future.',
    ],
    ['a date beyond the maximum', { expiry: 'date', expiryDate: '2099-01-01' }, 'expiry', 'at most 30 days'],
    ['an environment with spaces', { environment: 'prod env' }, 'environment', 'Environment is letters'],
    ['a name of 101 characters', { name: 'x'.repeat(101) }, 'name', ''],
  ] as const)('refuses %s', (_case, change, field, message) => {
    const form = { ...emptyCreateTokenForm('member'), name: 'ok', ...change };
    const result = validateCreateTokenForm(form as never, {
      role: 'member',
      policy: { maxTokenLifetimeDays: 30, requireExpiry: false },
      now: new Date('2026-06-01T12:00:00Z'),
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field]).toContain(message);
  });
});
