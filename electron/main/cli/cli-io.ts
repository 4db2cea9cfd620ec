// What every wtsc command is given: its input and output, and the exit codes it may end with.
import type { ConsoleRuntime } from '../runtime';

export const ExitCode = { ok: 0, usage: 1, notDone: 2, serverError: 3, failure: 4, auditBroken: 5 } as const;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  confirm: (question: string) => Promise<boolean>;
  interactive: boolean;
  /** Settles when the user interrupts (Ctrl+C): --follow stops then. */
  interrupted: Promise<void>;
  /** Where the session service comes from; tests share one runtime across many runs. */
  openRuntime?: () => Promise<ConsoleRuntime>;
  /** Standard input, whole: msg's message when none is on the command line. */
  readInput: () => Promise<string>;
  /** A password: typed at this prompt without echo in a terminal, else standard input's first line. Never printed. */
  readSecret: (prompt: string) => Promise<string>;
}
