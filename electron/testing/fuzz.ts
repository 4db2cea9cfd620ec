// Hostile-input generators for the fuzz suites: seeded, so a failure names the payload that
// caused it and can be replayed.
/**
 * How many generated cases a randomized test runs: the full count in npm test, a fifth under the
 * Windows lane, whose job is the Windows ABI and file semantics under Wine (about 10x slower per
 * case); the same seeds start both, so the lane's cases are the first of the full run's.
 */
export function generatedCases(full: number): number {
  return process.env['WTSC_WINDOWS_LANE'] === '1' ? Math.max(1, Math.round(full / 5)) : full;
}

export class Random {
  private state: number;
  constructor(seed: number) { this.state = seed >>> 0 || 1; }
  next(): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    this.state = x;
    return x / 2 ** 32;
  }
  int(max: number): number { return Math.floor(this.next() * max); }
  pick<T>(items: readonly T[]): T { return items[this.int(items.length)] as T; }
  chance(p: number): boolean { return this.next() < p; }
}

/** Server names an attacker or a slip of the hand might send: each is invalid. */
export const HOSTILE_SERVER_NAMES: readonly string[] = [
  '', ' ', 'bad name', "RDS01' or '1'='1", 'RDS01"]]', "*[System[EventID=4634]] or 1=1", 'RDS01]] | //*', '../../etc/passwd', '\\\\RDS01\\c$',
  'RDS01\u0000', 'RDS01\r\nX-Injected: 1', 'RDS\u202e10', 'RDS０１', 'РДС01', 'rds01.', '.rds01', 'a..b', '-rds', 'rds-', '256.1.1.1', '1.2.3',
  '1.2.3.4.5', '::1::2', 'fe80::1%eth0', 'gggg::1', 'x'.repeat(300), 'a'.repeat(64) + '.example.com', '<script>alert(1)</script>', '${jndi:ldap://x}',
  'RDS01;calc.exe', 'RDS01|whoami', '`id`', '%00', '\t', '\u200bRDS01', 'RDS01\u0301', '😀', 'rds01:3389', 'http://rds01/',
];

/** Session ids and targets that must be refused. */
export const HOSTILE_SESSION_TARGETS: readonly unknown[] = [
  -1, -0.5, 1.5, 2 ** 32, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, -Number.MAX_VALUE, '1.5', '-3', '', ' ',
  'x'.repeat(65), "RDP-Tcp#1' or '1'='1", '\u0000', 'RDP\nTcp', null, true, {}, [], { id: 2 }, [2], 'current\u0000',
];

export function hostileString(random: Random): string {
  switch (random.int(9)) {
    case 0: return random.pick(HOSTILE_SERVER_NAMES);
    case 1: return 'A'.repeat(1 + random.int(200_000));
    case 2: return String.fromCharCode(...Array.from({ length: 1 + random.int(40) }, () => random.int(32)));
    case 3: return Array.from({ length: 1 + random.int(30) }, () => String.fromCodePoint(0x80 + random.int(0x10ff7f - 0x80))).join('').replace(/[\ud800-\udfff]/g, '?');
    case 4: return `'"]]><!--${random.pick(['or 1=1', '| //*', "and EventID=4647]]", '\\u0000'])}`;
    case 5: return random.pick(['NaN', 'undefined', 'null', '[]', '{}', '__proto__', 'constructor', 'toString']);
    case 6: return ` ${random.pick(HOSTILE_SERVER_NAMES)} `;
    case 7: return random.pick(['\u202eRDS', 'R\u0000DS', 'RDS\u2028', 'ＲＤＳ０１', 'rds01\u200d']);
    default: return String(random.int(1_000_000)) + random.pick(['.', 'e', 'x', ' ', '\t']);
  }
}

export function hostileValue(random: Random, depth = 0): unknown {
  switch (random.int(depth > 2 ? 8 : 11)) {
    case 0: return hostileString(random);
    case 1: return random.pick([-1, -0.5, 1.5, 2 ** 32, 2 ** 64, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Number.MAX_SAFE_INTEGER + 2]);
    case 2: return random.pick([null, undefined, true, false]);
    case 3: return random.pick(HOSTILE_SESSION_TARGETS);
    case 4: return BigInt(random.int(1000)) * 10n ** 20n;
    case 5: return new Date(random.pick([0, -1e15, 8.64e15, Number.NaN]));
    case 6: return random.int(100_000) - 50_000;
    case 7: return random.pick([new Uint8Array(8), new Map([['force', true]]), new Set([1])]);
    case 8: return Array.from({ length: random.int(6) }, () => hostileValue(random, depth + 1));
    case 9: return Object.fromEntries(Array.from({ length: random.int(6) }, () => [random.pick(['force', 'verbose', 'message', 'timeoutSeconds', 'server', '__proto__', 'constructor', hostileString(random)]), hostileValue(random, depth + 1)]));
    default: return { force: random.chance(0.5), verbose: hostileValue(random, depth + 1), message: hostileString(random), timeoutSeconds: hostileValue(random, depth + 1) };
  }
}
