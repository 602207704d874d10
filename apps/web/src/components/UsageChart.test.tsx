import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { niceCeiling, UsageBars } from './UsageChart.tsx';

afterEach(cleanup);

describe('the usage chart', () => {
  it('has a y-axis from 0 to a round top above the busiest day', () => {
    render(
      <UsageBars
        days={[
          { date: '2026-01-01', requests: 3 },
          { date: '2026-01-02', requests: 137 },
          { date: '2026-01-03', requests: 0 },
        ]}
      />,
    );
    const axis = screen.getByTestId('usage-y-axis');
    expect([...axis.querySelectorAll('li')].map((tick) => tick.textContent)).toEqual(['200', '100', '0']);
  });

  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [10, 10],
    [137, 200],
    [501, 1000],
  ])('niceCeiling(%d) = %d', (value, expected) => {
    expect(niceCeiling(value)).toBe(expected);
  });
});
