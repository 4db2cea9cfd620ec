// A session state as a badge: colour, a symbol and the word, so it never rests on colour alone.
import type { SessionState } from '../../shared/domain';

const SYMBOL: Partial<Record<SessionState, string>> = { Active: '●', Disconnected: '◌', Listen: '◎', Connected: '◐', Idle: '○', Down: '✕', Reset: '✕' };

export function StateBadge({ state }: { readonly state: SessionState }) {
  return <span className={`badge state-${state.toLowerCase()}`}><span aria-hidden="true">{SYMBOL[state] ?? '·'} </span>{state}</span>;
}
