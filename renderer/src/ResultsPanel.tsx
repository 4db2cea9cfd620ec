// The last action's results, one line per session, with its /v steps. They belong to that action:
// shown only in views that include its servers, foldable to a summary, and dismissible. The
// audit view keeps every result for later.
import type { ConsoleStore } from './model/console-store';
import { ALL, summarizeResults, viewServers } from './model/console-store';
import { useConsole } from './hooks/use-console';
import { formatFullTime, formatStepTime, localizeTimes } from './format';

export function ResultsPanel({ store }: { readonly store: ConsoleStore }) {
  const results = useConsole(store, (s) => s.results);
  const view = useConsole(store, (s) => s.view);
  const servers = useConsole(store, (s) => s.servers);
  const groups = useConsole(store, (s) => s.groups);
  const collapsed = useConsole(store, (s) => s.resultsCollapsed);
  const inView = new Set(viewServers({ view, servers, groups }).map((name) => name.toLowerCase()));
  const shown = view === ALL ? results : results.filter((r) => inView.has(r.server.toLowerCase()));
  if (shown.length === 0) return null;
  return (
    <section className={`results${collapsed ? ' collapsed' : ''}`} aria-label="Action results">
      <div className="results-head">
        <h2>Results: {summarizeResults(shown)}</h2>
        <button type="button" aria-expanded={!collapsed} onClick={() => store.setResultsCollapsed(!collapsed)}>{collapsed ? 'Show' : 'Hide'}</button>
        <button type="button" aria-label="Dismiss results" onClick={() => store.dismissResults()}>×</button>
      </div>
      {collapsed ? null : shown.map((r) => (
        <details key={r.actionId} open={r.steps.length > 0} className={`result ${r.outcome}`}>
          <summary>{r.server}: {localizeTimes(r.summary)}</summary>
          {r.steps.length > 0 ? (
            <ol className="steps">{r.steps.map((step, i) => <li key={i}><time dateTime={step.at} title={formatFullTime(step.at)}>{formatStepTime(step.at)}</time> <b>{step.step}</b> {localizeTimes(step.detail)}</li>)}</ol>
          ) : null}
        </details>
      ))}
    </section>
  );
}
