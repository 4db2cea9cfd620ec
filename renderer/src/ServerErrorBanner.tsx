// A server that failed to answer: its Windows error, Retry, when it last answered, and, while a
// call to it is still blocked, how long ago that call was made, counting.
import { useEffect, useState } from 'react';
import type { ServerStatus } from '../../shared/domain';
import { stillNotAnswering } from '../../shared/winerror';
import { serverLabel } from './model/console-store';
import { formatClock } from './format';

interface Props {
  readonly status: ServerStatus;
  readonly lastAnswered: string | null;
  readonly onRetry: () => void;
}

export function ServerErrorBanner({ status, lastAnswered, onRetry }: Props) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!status.stuckSince) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [status.stuckSince]);
  if (!status.error) return null;
  const label = serverLabel(status.server);
  return (
    <div className="server-error" role="alert">
      {label}: error {status.error.code}:{' '}
      {/* The count changes every second: announced once, not every tick. */}
      <span aria-live="off">{status.stuckSince ? stillNotAnswering(label, (now - Date.parse(status.stuckSince)) / 1000) : status.error.message}</span>
      {status.queriedAs ? <span className="asked-as"> Asked as {status.queriedAs} (Connect as).</span> : null}
      {lastAnswered ? <span className="last-answered"> Last answered at {formatClock(lastAnswered)}.</span> : <span className="last-answered"> It has not answered since the console started.</span>}
      <button type="button" onClick={onRetry}>Retry</button>
    </div>
  );
}
