// The last action's results, one line per session, with its /v steps.
import type { ConsoleStore } from './model/console-store';
import { useConsole } from './hooks/use-console';

export function ResultsPanel({ store }: { readonly store: ConsoleStore }) {
  const results = useConsole(store, (s) => s.results);
  if (results.length === 0) return null;
  return (
    <section className="results" aria-label="Action results">
      <h2>Results</h2>
      {results.map((r) => (
        <details key={r.actionId} open={r.steps.length > 0} className={`result ${r.outcome}`}>
          <summary>{r.server}: {r.summary}</summary>
          {r.steps.length > 0 ? (
            <ol className="steps">{r.steps.map((step, i) => <li key={i}><time>{step.at.slice(11, 23)}</time> <b>{step.step}</b> {step.detail}</li>)}</ol>
          ) : null}
        </details>
      ))}
    </section>
  );
}
