// One way to show a time everywhere: local date and time, the full timestamp (seconds, zone and
// UTC) on hover. ISO text appears only in raw XML and in exports.
import { formatFullTime, formatTime } from './format';

export function Time({ iso, children }: { readonly iso: string | null; readonly children?: string }) {
  if (!iso) return null;
  return <time dateTime={iso} title={formatFullTime(iso)}>{children ?? formatTime(iso)}</time>;
}
