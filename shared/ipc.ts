// Argument schemas for every API method, checked by the main process before anything runs.
import { z } from 'zod';
import type { ApiMethod } from './api';
import { ACTION_OUTCOMES, MAX_FORWARDING_DELAY_SECONDS } from './domain';
import { MAX_SERVERS } from './server-groups';
import { EVENT_CHANNEL_NAMES } from './events';
import { MAX_ACTION_TARGETS, TOO_MANY_TARGETS, processTargetSchema, remoteControlSchema, sessionIdentitySchema } from './validation';

const serverArg = z.string().max(300);

// Identities, never bare ids: what the admin confirmed is what the service checks at the call.
const targetsArg = z.array(sessionIdentitySchema).max(MAX_ACTION_TARGETS, TOO_MANY_TARGETS);
const actionArgs = z.tuple([targetsArg, z.unknown()]);

export const API_ARGUMENTS: { [K in ApiMethod]: z.ZodType<unknown[]> } = {
  listServers: z.tuple([]),
  addServer: z.tuple([serverArg]),
  removeServer: z.tuple([serverArg]),
  setServerTimeout: z.tuple([serverArg, z.number().nullable()]),
  setCollector: z.tuple([serverArg, serverArg.nullable(), z.number().int().min(0).max(MAX_FORWARDING_DELAY_SECONDS)]),
  listGroups: z.tuple([]),
  saveGroup: z.tuple([
    z.strictObject({ name: z.string().max(200), servers: z.array(serverArg).max(MAX_SERVERS), timeoutSeconds: z.number().nullable() }),
    z.string().max(200).nullable(),
  ]),
  removeGroup: z.tuple([z.string().max(200)]),
  // One name per line: about 300 characters a line at most, for the largest list the console keeps.
  importServers: z.tuple([z.string().max(MAX_SERVERS * 300), z.string().max(200).nullable()]),
  // The password is checked by the service, whose sentences never repeat it; zod's would not either.
  setConnectAs: z.tuple([serverArg, z.strictObject({ account: z.string().max(400), password: z.string().max(1000).nullable(), remember: z.boolean() })]),
  clearConnectAs: z.tuple([serverArg]),
  listCredentials: z.tuple([]),
  removeCredential: z.tuple([z.string().max(400)]),
  serverStatuses: z.tuple([]),
  refresh: z.tuple([serverArg]),
  sessionDetails: z.tuple([serverArg, z.number().int().min(0).max(0xffffffff)]),
  listProcesses: z.tuple([serverArg, z.number().int().min(0).max(0xffffffff).nullable()]),
  logoff: actionArgs,
  disconnect: actionArgs,
  sendMessage: actionArgs,
  remoteControl: z.tuple([remoteControlSchema]),
  endProcess: z.tuple([z.array(processTargetSchema).max(MAX_ACTION_TARGETS, TOO_MANY_TARGETS), z.unknown()]),
  followEvents: z.tuple([z.union([z.literal('all'), z.array(serverArg).max(1000)])]),
  stopEvents: z.tuple([]),
  auditLog: z.tuple([z.strictObject({
    server: serverArg.optional(),
    user: z.string().max(200).optional(),
    outcome: z.enum([...ACTION_OUTCOMES, 'pending']).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })]),
  unfinishedActions: z.tuple([]),
  verifyAudit: z.tuple([]),
  sessionHistory: z.tuple([serverArg, z.number().int().min(60_000).max(31 * 24 * 3_600_000), z.boolean()]),
  fileHistory: z.tuple([z.string().min(1).max(32_767), z.boolean()]),
  fileEvents: z.tuple([z.string().min(1).max(32_767)]),
  eventXml: z.tuple([z.strictObject({
    server: serverArg, channel: z.enum(EVENT_CHANNEL_NAMES), recordId: z.string().max(20), eventId: z.number().int().min(0).max(0xffff), timeCreated: z.string().max(40),
  })]),
};
