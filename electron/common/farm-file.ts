// Farm files: the simulated servers, their sessions and faults, as JSON, validated. Read on the
// main thread; loaded into the simulator by worker/simulator/farm.ts, on a worker thread.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SESSION_STATES } from '../../shared/domain';
import { firstIssue, isIPv4, isIPv6 } from '../../shared/validation';
import { projectRoot } from './project-root';

const sessionSchema = z.strictObject({
  id: z.number().int().min(0),
  name: z.string().max(32),
  state: z.enum(SESSION_STATES),
  user: z.string().max(20).default(''),
  domain: z.string().max(17).default(''),
  sid: z.string().max(63).default(''),
  client: z.string().max(20).default(''),
  address: z.string().refine((a) => a === '' || isIPv4(a) || isIPv6(a), 'not an IPv4 or IPv6 address').default(''),
  logonMinutesAgo: z.number().min(0).default(0),
  idleMinutes: z.number().min(0).default(0),
  disconnectedMinutesAgo: z.number().min(0).optional(),
  answer: z.enum(['ok', 'cancel', 'none']).default('ok'),
  logonId: z.string().regex(/^0x[0-9a-fA-F]{1,16}$/).optional(),
  logonType: z.number().int().min(2).max(11).optional(),
  vanish: z.boolean().default(false),
  /** The client's side as WTSClientInfo reports it; the defaults are a current mstsc on a full-HD screen. */
  clientBuild: z.number().int().min(0).max(0xffffffff).default(26100),
  display: z.strictObject({
    width: z.number().int().min(0).max(0xffff),
    height: z.number().int().min(0).max(0xffff),
    /** WTS_CLIENT_DISPLAY's code: 1 = 4 bits, 2 = 8, 4 = 16, 8 = 24 (3-byte RGB), 16 = 15, 24 = 24, 32 = 32. */
    colorDepth: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8), z.literal(16), z.literal(24), z.literal(32)]),
  }).default({ width: 1920, height: 1080, colorDepth: 32 }),
  encryptionLevel: z.number().int().min(0).max(255).default(2),
});

const serverSchema = z.strictObject({
  name: z.string().min(1).max(63),
  aliases: z.array(z.string().min(1).max(253)).max(4).default([]),
  farm: z.string().max(63).default(''),
  local: z.boolean().default(false),
  latencyMs: z.number().int().min(0).default(5),
  logoffDelayMs: z.number().int().min(0).default(300),
  answerDelayMs: z.number().int().min(0).default(500),
  fault: z.enum(['none', 'unreachable', 'access-denied', 'hang', 'rpc-failed']).default('none'),
  faultDelayMs: z.number().int().min(0).default(2000),
  hangMs: z.number().int().min(1).default(600_000),
  eventFault: z.enum(['none', 'access-denied', 'channel-not-found', 'drop', 'stale', 'invalid-bound', 'invalid-parameter']).default('none'),
  /** How long the event fault lasts (0: until changed); a dropped stream that comes back. */
  eventFaultMs: z.number().int().min(0).default(0),
  /** Live background logoff records per minute. */
  backgroundEventsPerMinute: z.number().min(0).max(60_000).default(0),
  /** Windows Event Forwarding: another server of the farm whose ForwardedEvents log receives this one's Security events, after forwardDelayMs. */
  forwardsTo: z.string().min(1).max(256).optional(),
  forwardDelayMs: z.number().int().min(0).max(3_600_000).default(0),
  currentSessionId: z.number().int().min(0).optional(),
  /** The one account the server answers from another computer (Connect as); anyone else gets access denied. */
  requiresAccount: z.strictObject({
    account: z.string().regex(/^[^\\]+\\[^\\]+$/, 'an account as DOMAIN\\name'),
    password: z.string().min(1).max(256),
  }).optional(),
  /** Logoff records seeded into the Security log, spread over the last `historyMinutes`. */
  historyMinutes: z.number().int().min(0).max(7 * 24 * 60).default(0),
  historyEventsPerHour: z.number().int().min(0).max(100_000).default(30),
  sessions: z.array(sessionSchema).default([]),
});

export const farmSchema = z.strictObject({
  description: z.string().optional(),
  unknownHostDelayMs: z.number().int().min(0).default(1500),
  servers: z.array(serverSchema).min(1),
});

export type FarmFile = z.infer<typeof farmSchema>;
export type FarmServer = z.infer<typeof serverSchema>;
export type FarmSession = z.infer<typeof sessionSchema>;

export const DEMO_FARM_PATH = join(projectRoot(), 'native', 'farms', 'demo-farm.json');

export function readFarmFile(path: string): FarmFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the farm file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = farmSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`The farm file ${path} is invalid: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

