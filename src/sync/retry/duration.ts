/**
 * Durations as Argo CD reads `retry.backoff.duration` and `maxDuration`: a
 * bare integer is seconds (`"30"`), anything else is a Go duration (`5s`,
 * `2m`, `1h30m`, `500ms`, `1.5h`; units ns, us, µs, ms, s, m, h)
 * (pkg/apis/application/v1alpha1/types.go `parseStringToDuration`).
 */
import { FieldProblem } from '../../common/field-problem';

// Nanoseconds per unit: summing in whole nanoseconds keeps `100ns` exact.
const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const GO_DURATION = /^(?:(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Parses a duration to milliseconds (pure function). Accepts a bare integer
 * (seconds, as a number or a string) or a Go duration; negative durations
 * are refused (a backoff cannot wait less than nothing). Problems name
 * `field` and quote the offending value.
 */
export function parseDuration(
  value: unknown,
  field: string,
): { ms: number } | { problem: FieldProblem } {
  const fail = (message: string) => ({ problem: { field, rule: 'duration', message } });
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      return fail(
        `${value} is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m"`,
      );
    }
    return { ms: value * 1000 };
  }
  if (typeof value !== 'string') return fail('must be a duration such as "5s", "2m", "1h30m"');
  const text = value.trim();
  if (/^\d+$/.test(text)) return { ms: Number(text) * 1000 };
  if (!GO_DURATION.test(text)) {
    return fail(
      `"${value}" is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m", "500ms"`,
    );
  }
  let nanoseconds = 0;
  for (const [, amount, unit] of text.matchAll(GO_DURATION_PART))
    nanoseconds += Number(amount) * UNIT_NS[unit];
  return { ms: nanoseconds / 1e6 };
}

/**
 * Formats milliseconds as Go prints durations: `0s`, `500ms`, `5s`, `1.5s`,
 * `3m0s`, `1h30m0s` (pure function).
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1) return ms * 1000 >= 1 ? `${round(ms * 1000)}µs` : `${round(ms * 1e6)}ns`;
  if (ms < 1000) return `${round(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = `${round((ms % 60_000) / 1000)}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
