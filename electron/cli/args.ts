// Command-line parsing in the style of logoff.exe / qwinsta / msg: /server:NAME, /v, /f, /time:N.
export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  server: string | null;
  verbose: boolean;
  force: boolean;
  json: boolean;
  yes: boolean;
  timeSeconds: number | null;
  message: string | null;
}

const FLAG = /^[/-]{1,2}([A-Za-z]+)(?::(.*))?$/;
const EQUALS = /^--([A-Za-z]+)=(.*)$/;

export function parseArgs(argv: readonly string[], allowed: ReadonlySet<string>): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], server: null, verbose: false, force: false, json: false, yes: false, timeSeconds: null, message: null };
  for (const arg of argv) {
    const match = EQUALS.exec(arg) ?? FLAG.exec(arg);
    if (!match || /^-?\d+$/.test(arg)) { parsed.positionals.push(arg); continue; }
    const name = (match[1] ?? '').toLowerCase();
    const value = match[2];
    if (!allowed.has(name)) throw new UsageError(`Unknown option ${arg}.`);
    switch (name) {
      case 'server':
        if (value === undefined || value === '') throw new UsageError('/server needs a name: /server:NAME.');
        parsed.server = value; break;
      case 'v': if (value !== undefined) throw new UsageError(`${arg} takes no value.`); parsed.verbose = true; break;
      case 'f': if (value !== undefined) throw new UsageError(`${arg} takes no value.`); parsed.force = true; break;
      case 'json': if (value !== undefined) throw new UsageError(`${arg} takes no value.`); parsed.json = true; break;
      case 'yes': case 'y': if (value !== undefined) throw new UsageError(`${arg} takes no value.`); parsed.yes = true; break;
      case 'time': {
        if (value === undefined || !/^\d{1,5}$/.test(value)) throw new UsageError('/time needs a whole number of seconds: /time:60.');
        parsed.timeSeconds = Number(value); break;
      }
      case 'msg':
        if (value === undefined) throw new UsageError('/msg needs the text: /msg:"Please save your work".');
        parsed.message = value; break;
      default: throw new UsageError(`Unknown option ${arg}.`);
    }
  }
  return parsed;
}
