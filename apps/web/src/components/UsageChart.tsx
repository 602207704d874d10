import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../lib/trpc.ts';

export interface UsageDay {
  date: string;
  requests: number;
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1), as the top of the chart's scale. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Requests per day as inline SVG bars (no chart library); each bar has its day and count as a tooltip. */
export function UsageBars({ days }: { days: UsageDay[] }) {
  const width = 600;
  const height = 140;
  const gap = 2;
  const max = Math.max(1, ...days.map((day) => day.requests));
  const barWidth = days.length > 0 ? width / days.length - gap : 0;
  const total = days.reduce((sum, day) => sum + day.requests, 0);
  const first = days[0]?.date ?? '';
  const last = days.at(-1)?.date ?? '';
  // A y-axis with round ticks: 0, half and the top of the scale (the busiest day, rounded up).
  const top = niceCeiling(max);
  const ticks = [top, top / 2, 0];
  return (
    <figure className="usage-chart">
      <div className="usage-plot">
        <ol className="usage-y-axis" aria-hidden="true" data-testid="usage-y-axis">
          {ticks.map((tick) => (
            <li key={tick}>{Number.isInteger(tick) ? tick : tick.toFixed(1)}</li>
          ))}
        </ol>
        <svg
          viewBox={`0 0 ${width} ${height + 20}`}
          role="img"
          aria-label={`${total} requests between ${first} and ${last}; busiest day ${max === 1 && total === 0 ? 'none' : `${max} requests`}`}
          preserveAspectRatio="none"
        >
          <line x1="0" y1={height} x2={width} y2={height} className="usage-axis" />
          {days.map((day, index) => {
            const barHeight = day.requests === 0 ? 0 : Math.max(2, (day.requests / top) * height);
            return (
              <rect
                key={day.date}
                x={index * (barWidth + gap)}
                y={height - barHeight}
                width={barWidth}
                height={barHeight}
                className="usage-bar"
              >
                <title>{`${day.date}: ${day.requests} requests`}</title>
              </rect>
            );
          })}
          <text x="0" y={height + 16} className="usage-label">
            {first}
          </text>
          <text x={width} y={height + 16} textAnchor="end" className="usage-label">
            {last}
          </text>
        </svg>
      </div>
      <figcaption>
        {total} requests in the last {days.length} days (peak {max === 1 && total === 0 ? 0 : max} a day).
        Counts arrive in batches, a few seconds late.
      </figcaption>
    </figure>
  );
}

/** The per-token chart of requests per day over the last 30 days (tokens.usage). */
export function TokenUsage({ tokenId }: { tokenId: string }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.tokens.usage.queryOptions({ id: tokenId, days: 30 }));
  if (usage.isPending) return <p role="status">Loading usage…</p>;
  if (usage.isError)
    return (
      <p className="alert alert-error" role="alert">
        {usage.error.message}
      </p>
    );
  return <UsageBars days={usage.data.data} />;
}
