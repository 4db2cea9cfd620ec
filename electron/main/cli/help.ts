// Whether a wtsc command line asks for help. bin/wtsc.js asks before it begins the native start,
// which help does not need (it would only wait for a worker thread to start and stop), and main()
// answers it: one list of switches for both.
const HELP_SWITCHES = new Set(['/?', '-?', '-h', '--help', '/help']);

/** No command, the command "help", or a help switch anywhere: "wtsc logoff /?" too, as Windows commands give it. */
export function asksForHelp(argv: readonly string[]): boolean {
  const [command] = argv;
  return command === undefined || command === 'help' || argv.some((arg) => HELP_SWITCHES.has(arg.toLowerCase()));
}
