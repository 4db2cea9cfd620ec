// Hostile input on every wtsc argument: 10,000 generated invalid values per argument, run through
// the real CLI over one shared service on the simulator. Each must exit with the usage code and a
// sentence, attempt no action and change no state.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { main } from './wtsc';
import type { CliIo } from './wtsc';
import { createRuntime } from '../runtime';
import type { ConsoleRuntime } from '../runtime';
import { SimulatorControl } from '../../worker/simulator/control';
import { simulatorLibraryPath } from '../backend';
import { tempDataDir, writeTestFarm } from '../../testing/test-farm';
import { HOSTILE_SERVER_NAMES, HOSTILE_SESSION_TARGETS, Random, generatedCases, hostileString } from '../../testing/fuzz';
import { actionOptionsSchema, checkServerName, checkSessionTarget } from '../../../shared/validation';

const PER_ARGUMENT = generatedCases(10_000);
const ACTION_CALLS = ['WTSLogoffSession', 'WTSDisconnectSession', 'WTSSendMessageW'];

/** The CLI reads a positional of digits as an id and anything else as a session name. */
const targetOf = (text: string): unknown => (/^\d+$/.test(text) ? Number(text) : text);
const validTime = (text: string) => /^\d{1,5}$/.test(text) && actionOptionsSchema.shape.timeoutSeconds.safeParse(Number(text)).success;
const validMessage = (text: string) => text.trim() !== '' && actionOptionsSchema.shape.message.safeParse(text).success;

interface Generator { argument: string; make: (random: Random) => string[] | null }

const hostileText = (random: Random) => (random.chance(0.5) ? hostileString(random) : String(random.pick(HOSTILE_SESSION_TARGETS)));

const GENERATORS: Generator[] = [
  { argument: '/server', make: (r) => [r.pick(['logoff', 'disconnect', 'query']), ...(r.chance(0.5) ? ['2'] : ['session']), `/server:${r.pick(HOSTILE_SERVER_NAMES)}`, '--yes'].filter((a, i, all) => !(all[0] === 'query' && a === '--yes')) },
  {
    argument: 'session id or name',
    make: (r) => {
      const target = hostileText(r);
      if (target.startsWith('/') || target.startsWith('-') || checkSessionTarget(targetOf(target)).ok) return null;
      return [r.pick(['logoff', 'disconnect']), target, '/server:ALPHA', '--yes'];
    },
  },
  {
    argument: '/time',
    make: (r) => {
      const value = r.chance(0.5) ? hostileText(r) : r.pick(['0', '-1', '1.5', '99999', '', 'ten', '1e3', '0x10']);
      return validTime(value) ? null : ['logoff', '2', '/server:ALPHA', `/time:${value}`, '--yes'];
    },
  },
  {
    argument: '/msg and the message text',
    make: (r) => {
      const value = r.chance(0.3) ? 'x'.repeat(2000 + r.int(100_000)) : r.chance(0.5) ? `Hi\u0007${hostileString(r)}` : r.pick(['', '   ', '\u0000', 'a\u001bb']);
      if (validMessage(value)) return null;
      return r.chance(0.5) ? ['logoff', '2', '/server:ALPHA', `/msg:${value}`, '--yes'] : ['msg', '2', '/server:ALPHA', value];
    },
  },
  {
    argument: '--since',
    make: (r) => {
      const value = r.chance(0.5) ? hostileText(r) : r.pick(['-1h', '1.5h', '1w', '1000000d', 'h', '15', 'PT1H']);
      return /^(\d{1,6})(s|m|h|d)$/.test(value) ? null : ['events', '/server:ALPHA', r.chance(0.5) ? `--since=${value}` : '--since', ...(r.chance(0.5) ? [value] : [])];
    },
  },
  {
    argument: 'options and commands',
    make: (r) => {
      const command = r.pick(['logoff', 'disconnect', 'msg', 'query', 'events', 'servers', 'logof', 'LOGOFF', '', 'rm', '/server:ALPHA']);
      const flag = r.pick(['/x', '--force', '/F:1', '/v:yes', '--json=1', '/yes:no', '--follow=1', '/server', '/server:', '-time', `/${hostileString(r).replace(/[^A-Za-z]/g, '') || 'q'}`]);
      return [command, flag, ...(r.chance(0.5) ? ['2', '/server:ALPHA', '--yes'] : [])];
    },
  },
];

describe('CLI fuzzing', () => {
  let runtime: ConsoleRuntime;
  const control = new SimulatorControl(simulatorLibraryPath());
  before(async () => {
    runtime = await createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(), poolSize: 2, settings: { serverTimeoutMs: 1000 } });
  });
  after(async () => { control.releaseHangs(); await runtime.close(); });

  for (const generator of GENERATORS) {
    it(`${generator.argument}: ${PER_ARGUMENT} invalid values exit 1 with a sentence and do nothing`, async () => {
      const random = new Random(0xc11 + generator.argument.length * 104729);
      const actionsBefore = ACTION_CALLS.map((f) => control.callCount(f));
      const serversBefore = JSON.stringify(runtime.service.listServers());
      let sent = 0;
      while (sent < PER_ARGUMENT) {
        const argv = generator.make(random);
        if (!argv) continue;
        sent++;
        const errors: string[] = [];
        const io: CliIo = {
          out: () => undefined, err: (text) => errors.push(text), interactive: false, confirm: async () => true,
          interrupted: new Promise(() => undefined), openRuntime: async () => ({ ...runtime, close: async () => 0 }), readInput: async () => "", readSecret: async () => "",
        };
        const { code } = await main(argv, io);
        const shown = JSON.stringify(argv).slice(0, 200);
        assert.equal(code, 1, `exit ${code} for ${shown}: ${errors.join(' ').slice(0, 300)}`);
        const first = errors.join('\n').split('\n')[0] ?? '';
        assert.ok(first.length >= 10 && first.length <= 600, `unclear or oversized error for ${shown}: ${first.slice(0, 200)}`);
        assert.doesNotMatch(errors.join('\n'), /\n\s+at /, `a stack trace leaked for ${shown}`);
      }
      assert.deepEqual(ACTION_CALLS.map((f) => control.callCount(f)), actionsBefore, 'no logoff, disconnect or message was attempted');
      assert.equal(JSON.stringify(runtime.service.listServers()), serversBefore, 'the server list is unchanged');
      assert.equal((await runtime.service.auditLog()).length, 0, 'nothing was recorded, because nothing was done');
    });
  }

  it('the generators really produce invalid server names and targets', () => {
    for (const name of HOSTILE_SERVER_NAMES) assert.equal(checkServerName(name).ok, false, name);
  });
});
