// A name as a server sent it, with anything invisible, control or reordering (bidi) made visible
// and flagged, so "adm\u202Enimda" cannot pass for another name.
import { hasHiddenCharacters, revealHidden } from '../../shared/display';

export function ServerText({ text }: { text: string }) {
  if (!hasHiddenCharacters(text)) return <>{text}</>;
  return (
    <span className="hidden-chars" title="This name holds invisible, control or bidi characters: shown escaped">
      <span aria-hidden="true">⚠ </span>{revealHidden(text)}<span className="sr-only"> (holds hidden characters, shown escaped)</span>
    </span>
  );
}
