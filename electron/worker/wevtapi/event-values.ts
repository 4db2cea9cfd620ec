// A Security event from the values of a render context (EvtRenderEventValues) rather than its XML:
// only the fields the console shows are rendered, and nothing is parsed. The values become the
// same fields the XML would have given, as the XML writes each type, and go through the one
// function that makes a SecurityEvent of either; an event this path cannot read as surely as its
// XML (a legacy id, a type the console does not expect) is read from its XML instead.
import { EvtVarType } from './wevtapi';
import type { EventValue } from './wevtapi';
import { MalformedEventError, securityEventFromFields } from '../../common/event-parser';
import type { EventFields } from '../../common/event-parser';
import type { SecurityEvent } from '../../../shared/events';

const SYSTEM_PATHS = [
  ['EventID', 'Event/System/EventID'],
  ['EventRecordID', 'Event/System/EventRecordID'],
  ['Channel', 'Event/System/Channel'],
  ['Computer', 'Event/System/Computer'],
] as const;
const TIME_CREATED_PATH = 'Event/System/TimeCreated/@SystemTime';

/**
 * The EventData fields the parser reads from the events of this path (4624, 4634, 4647, 4778,
 * 4779, 4800, 4801, 4608); the legacy events' other names (UserSid, UserName, …) stay with the XML.
 */
const DATA_NAMES = [
  'TargetUserSid', 'TargetUserName', 'TargetDomainName', 'TargetLogonId', 'LogonType',
  'AccountName', 'AccountDomain', 'LogonID',
  'IpAddress', 'IpPort', 'WorkstationName', 'LogonProcessName', 'AuthenticationPackageName',
  'SessionName', 'ClientName', 'ClientAddress',
] as const;

/** Event ids read from values: the Security log's current events, whose fields are all in DATA_NAMES. */
const VALUE_EVENT_IDS = new Set([4624, 4634, 4647, 4778, 4779, 4800, 4801, 4608]);

/** The render context's XPaths, in the order securityEventFromValues reads them. */
export const SECURITY_VALUE_PATHS: readonly string[] = [
  ...SYSTEM_PATHS.map(([, path]) => path),
  TIME_CREATED_PATH,
  ...DATA_NAMES.map((name) => `Event/EventData/Data[@Name='${name}']`),
];

/** 1601-01-01 to 1970-01-01, in seconds: FILETIME's epoch and the Unix one. */
const FILETIME_EPOCH_SECONDS = 11_644_473_600;
const LAST_SECOND_OF_9999 = 253_402_300_799;

/** The last second systemTime wrote, and its text: a log's events come many to a second. */
let lastSecond = Number.NaN;
let lastSecondText = '';

/**
 * FILETIME → "2015-09-09T02:27:57.877205900Z", as event XML writes SystemTime (100 ns, then "00");
 * null for one no date can hold.
 */
function systemTime(filetime: bigint): string | null {
  // In Numbers, exactly: 2^32 ticks are 429 seconds and 4,967,296 ticks, and the halves of any
  // FILETIME keep every product below 2^53.
  const high = Number(filetime >> 32n);
  const rest = high * 4_967_296 + Number(filetime & 0xffff_ffffn);
  const fraction = rest % 10_000_000;
  const seconds = high * 429 + (rest - fraction) / 10_000_000 - FILETIME_EPOCH_SECONDS;
  if (seconds !== lastSecond) {
    // Event XML writes four-digit years.
    if (seconds > LAST_SECOND_OF_9999) return null;
    lastSecondText = new Date(seconds * 1000).toISOString().slice(0, 19);
    lastSecond = seconds;
  }
  return `${lastSecondText}.${String(fraction).padStart(7, '0')}00Z`;
}

/** A value as event XML writes it: hex types as 0x… in lower case, other numbers in decimal; undefined for Null; null for a type not expected. */
function asXmlText({ type, value }: EventValue): string | undefined | null {
  if (type === EvtVarType.Null) return undefined;
  if (value === null) return null;
  switch (type) {
    case EvtVarType.String:
    case EvtVarType.Sid:
      return value as string;
    case EvtVarType.UInt16:
    case EvtVarType.UInt32:
    case EvtVarType.UInt64:
      return value.toString();
    case EvtVarType.HexInt64:
    case EvtVarType.SizeT:
      return `0x${value.toString(16)}`;
    default:
      return null;
  }
}

/**
 * The event `values` (rendered with SECURITY_VALUE_PATHS) describe, with no XML; null when this
 * event is to be read from its XML instead: an id this path does not read, a value of a type it
 * does not expect, or fields the parser finds incomplete (the XML then decides).
 */
export function securityEventFromValues(values: readonly EventValue[]): SecurityEvent | null {
  if (values.length !== SECURITY_VALUE_PATHS.length) return null;
  const eventId = values[0];
  if (eventId?.type !== EvtVarType.UInt16 || !VALUE_EVENT_IDS.has(eventId.value as number)) return null;
  // Fresh maps: clearing one set for every event measured 15% slower in all.
  const fields: EventFields = { system: new Map(), timeCreated: null, data: new Map() };
  let at = 0;
  for (const [name] of SYSTEM_PATHS) {
    const text = asXmlText(values[at++] ?? { type: -1, value: null });
    if (text === null) return null;
    if (text !== undefined) fields.system.set(name, text.trim());
  }
  const time = values[at++];
  if (time?.type === EvtVarType.FileTime && typeof time.value === 'bigint') {
    fields.timeCreated = systemTime(time.value);
    if (fields.timeCreated === null) return null;
  } else if (time?.type !== EvtVarType.Null) {
    return null;
  }
  for (const name of DATA_NAMES) {
    const text = asXmlText(values[at++] ?? { type: -1, value: null });
    if (text === null) return null;
    if (text !== undefined) fields.data.set(name, text);
  }
  try {
    return securityEventFromFields(fields, '');
  } catch (error) {
    if (error instanceof MalformedEventError) return null;
    throw error;
  }
}
