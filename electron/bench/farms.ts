// Farms the bench builds: many servers with many sessions each, as farm files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScaleFarmOptions { servers: number; sessionsPerServer: number; latencyMs: number; backgroundEventsPerMinute?: number }

export function serverName(index: number): string { return `RDS${String(index + 1).padStart(3, '0')}`; }

/** Services (0), a listener and sessionsPerServer − 2 users per server, every tenth disconnected. */
export function scaleFarm(options: ScaleFarmOptions): object {
  const servers = Array.from({ length: options.servers }, (_, s) => ({
    name: serverName(s),
    farm: 'Bench-Farm',
    latencyMs: options.latencyMs,
    logoffDelayMs: 0,
    answerDelayMs: 0,
    backgroundEventsPerMinute: options.backgroundEventsPerMinute ?? 0,
    sessions: [
      { id: 0, name: 'Services', state: 'Disconnected' },
      { id: 65536, name: 'RDP-Tcp', state: 'Listen' },
      ...Array.from({ length: Math.max(0, options.sessionsPerServer - 2) }, (_, i) => ({
        id: i + 2,
        name: i % 10 === 9 ? '' : `RDP-Tcp#${i + 2}`,
        state: i % 10 === 9 ? 'Disconnected' : 'Active',
        user: `u${String(s).padStart(2, '0')}${String(i).padStart(4, '0')}`,
        domain: 'CONTOSO',
        sid: `S-1-5-21-1-2-3-${10_000 + s * 1000 + i}`,
        client: `PC-${s}-${i}`,
        address: `10.${s >> 6}.${((s & 63) << 2) | ((i >> 8) & 3)}.${i & 255}`,
        logonMinutesAgo: 30 + (i % 600),
        idleMinutes: i % 97,
      })),
    ],
  }));
  // The admin's own machine is always listed, as in the product.
  const local = { name: 'ADMIN-WS', local: true, latencyMs: 0, sessions: [{ id: 0, name: 'Services', state: 'Disconnected' }, { id: 1, name: 'Console', state: 'Active', user: 'admin', domain: 'CONTOSO' }] };
  return { unknownHostDelayMs: 0, servers: [local, ...servers] };
}

export function writeFarm(farm: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wtsc-bench-')), 'farm.json');
  writeFileSync(path, JSON.stringify(farm));
  return path;
}
