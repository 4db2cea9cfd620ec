// A small, deterministic farm for tests, written to a temporary file like a real farm file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FarmFile } from '../common/farm-file';
import { farmSchema } from '../common/farm-file';
import { loadFarm } from '../worker/simulator/farm';
import { SimulatorControl } from '../worker/simulator/control';
import { simulatorLibraryPath } from '../main/backend';

const user = (id: number, name: string, extra: Record<string, unknown> = {}) => ({
  id, name: `RDP-Tcp#${id}`, state: 'Active', user: name, domain: 'CONTOSO', sid: `S-1-5-21-1-2-3-${1000 + id}`,
  client: `PC-${name.toUpperCase()}`, address: `10.0.0.${id}`, logonMinutesAgo: 60, idleMinutes: 5, ...extra,
});
const fixed = [{ id: 0, name: 'Services', state: 'Disconnected' }, { id: 65536, name: 'RDP-Tcp', state: 'Listen' }];

export const TEST_FARM_INPUT = {
  unknownHostDelayMs: 20,
  servers: [
    { name: 'LOCALBOX', local: true, latencyMs: 0, currentSessionId: 2, sessions: [...fixed, user(2, 'admin')] },
    {
      name: 'ALPHA', aliases: ['alpha.corp.example.com', '192.0.2.10'], farm: 'Test-Farm', latencyMs: 1, logoffDelayMs: 30, answerDelayMs: 20,
      historyMinutes: 60, historyEventsPerHour: 40,
      sessions: [
        ...fixed,
        user(2, 'accepts', { answer: 'ok' }),
        user(3, 'declines', { answer: 'cancel' }),
        user(4, 'silent', { answer: 'none' }),
        user(5, 'forced', { answer: 'cancel' }),
        user(6, 'vanishing', { vanish: true }),
        user(7, 'sixer', { address: '2001:db8::7', state: 'Disconnected', name: '' }),
        user(8, 'target'),
      ],
    },
    { name: 'BETA', latencyMs: 1, logoffDelayMs: 10, sessions: [...fixed, user(2, 'beta1'), user(3, 'beta2')] },
    { name: 'HANGER', latencyMs: 0, fault: 'hang', hangMs: 120000, sessions: [...fixed, user(2, 'stuck')] },
    { name: 'DOWN', fault: 'unreachable', faultDelayMs: 30, sessions: [...fixed] },
    { name: 'DENIED', fault: 'access-denied', sessions: [...fixed, user(2, 'hidden')] },
    { name: 'NOLOG', latencyMs: 0, eventFault: 'access-denied', sessions: [...fixed, user(2, 'unaudited')] },
  ],
};

export function testFarm(): FarmFile { return farmSchema.parse(TEST_FARM_INPUT); }

/** The one account GUARDED answers (Connect as tests), and its password. */
export const GUARDED_ACCOUNT = { account: 'CONTOSO\\svc-rds', password: 'Tr0ub4dor&3 \u00e9' } as const;

/** The test farm and GUARDED, a server that answers GUARDED_ACCOUNT only. */
export const GUARDED_FARM_INPUT = {
  ...TEST_FARM_INPUT,
  servers: [...TEST_FARM_INPUT.servers, {
    name: 'GUARDED', latencyMs: 1, logoffDelayMs: 10, requiresAccount: GUARDED_ACCOUNT, historyMinutes: 60, historyEventsPerHour: 20,
    sessions: [...fixed, user(2, 'guarded1'), user(3, 'guarded2')],
  }],
};

export function writeTestFarm(input: object = TEST_FARM_INPUT): string {
  const dir = mkdtempSync(join(tmpdir(), 'wtsc-farm-'));
  const path = join(dir, 'farm.json');
  writeFileSync(path, JSON.stringify(input));
  return path;
}

export function loadTestFarm(): SimulatorControl {
  const control = new SimulatorControl(simulatorLibraryPath());
  loadFarm(control, testFarm());
  return control;
}

export function tempDataDir(): string { return mkdtempSync(join(tmpdir(), 'wtsc-data-')); }
