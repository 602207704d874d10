import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RevealToken } from './RevealToken.tsx';

afterEach(cleanup);

const SECRET = `tgp_${'a'.repeat(36)}`;

function setup() {
  const onClose = vi.fn();
  render(<RevealToken title="Token created" name="CI" token={SECRET} onClose={onClose} />);
  return { onClose, user: userEvent.setup() };
}

describe('the one-time reveal', () => {
  it.each([
    ['Escape', (user: ReturnType<typeof userEvent.setup>) => user.keyboard('{Escape}')],
    [
      'the × button',
      (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByLabelText('Close')),
    ],
  ])('asks before %s closes it while the token was not copied', async (_how, close) => {
    const { onClose, user } = setup();
    await close(user);
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByText(/You have not copied the token/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Go back' }));
    expect(screen.getByTestId('revealed-token').textContent).toBe(SECRET);
    await close(user);
    await user.click(screen.getByRole('button', { name: 'Close without copying' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('closes at once after Copy', async () => {
    const { onClose, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Copy token' }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
