/** Idle time for people: "now", "12 min", "3 h 05 min", "2 d 4 h". */
export function humanizeIdle(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return 'now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

// Intl formatters are costly to build; a table of 10,000 sessions must not build one per cell.
const DATE_TIME = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const FULL = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });

const CLOCK_MS = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 });

/** A step's time: local, to the millisecond (the order of calls is what a /v log is read for). */
export function formatStepTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : CLOCK_MS.format(ms);
}

const ISO_INSTANT = /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z\b/g;

/** Text from the service with its UTC instants written in the local format, as everywhere else on screen. */
export function localizeTimes(text: string): string {
  return text.replace(ISO_INSTANT, (iso) => {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? iso : FULL.format(ms);
  });
}

/** The hover text of a time: local with seconds and zone, then the UTC instant to the millisecond. */
export function formatFullTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${FULL.format(ms)} (${new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC')})`;
}

export function formatTime(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : DATE_TIME.format(ms);
}

/** Wall-clock time of day, for events and "refreshed at". */
export function formatClock(iso: string | number | null): string {
  if (iso === null || iso === '') return '';
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  return Number.isNaN(ms) ? '' : CLOCK.format(ms);
}

/** "just now", "12 min ago", "3 h 05 min ago", "2 d 4 h ago": how long before `now`. */
export function timeAgo(iso: string | null, now: number): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const seconds = Math.max(0, Math.floor((now - ms) / 1000));
  return seconds < 60 ? 'just now' : `${humanizeIdle(seconds)} ago`;
}
