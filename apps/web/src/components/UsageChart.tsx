import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../lib/trpc.ts';

export interface UsageDay {
  date: string;
  requests: number;
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
  return (
    <figure className="usage-chart">
      <svg
        viewBox={`0 0 ${width} ${height + 20}`}
        role="img"
        aria-label={`${total} requests between ${first} and ${last}; busiest day ${max === 1 && total === 0 ? 'none' : `${max} requests`}`}
        preserveAspectRatio="none"
      >
        <line x1="0" y1={height} x2={width} y2={height} className="usage-axis" />
        {days.map((day, index) => {
          const barHeight = day.requests === 0 ? 0 : Math.max(2, (day.requests / max) * (height - 10));
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
