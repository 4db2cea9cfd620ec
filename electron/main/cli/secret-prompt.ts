// A password typed at a terminal without echo (raw mode: the terminal shows nothing, not even
// stars), or, from a script, the first line of standard input. Ctrl+C abandons it.
import { stdin, stderr } from 'node:process';

export class PromptInterrupted extends Error {
  constructor() { super('The password prompt was interrupted.'); this.name = 'PromptInterrupted'; }
}

export async function readSecretLine(prompt: string): Promise<string> {
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) {
      text += (chunk as Buffer).toString('utf8');
      if (text.includes('\n')) break;
    }
    return text.split(/\r?\n/, 1)[0] ?? '';
  }
  // Echo off before the prompt shows: a password typed the moment the prompt appears must not be echoed.
  stdin.setRawMode(true);
  stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error); else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || (char === '\u0004' && typed === '')) { done(null); return; }
        if (char === '\u0003') { done(new PromptInterrupted()); return; }
        if (char === '\u007f' || char === '\b') { typed = Array.from(typed).slice(0, -1).join(''); continue; }
        if (char >= ' ') typed += char;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}
