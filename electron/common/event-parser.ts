// Parses the event XML that EvtRender(EvtRenderEventXml) produces into SecurityEvent (the events of
// SECURITY_EVENTS). The input
// comes from a machine, in a fixed shape, so a small strict tokenizer does: it rejects anything
// that is not well-formed instead of guessing, and it is fast (see npm run bench).
import { CHANNEL_EVENTS, EVENT_CHANNELS, LOGON_TYPES } from '../../shared/events';
import { NO_EVENT_DETAILS } from '../../shared/events';
import type { SecurityEvent } from '../../shared/events';

export class MalformedEventError extends Error {
  constructor(message: string) { super(message); this.name = 'MalformedEventError'; }
}

// The tokens, each tried only where its first characters say it can start (a text run is found
// with indexOf, an end tag by its "</"): one regex of five alternatives, tried at every token,
// was half the parse.
const START_TAG = /<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
// An end tag carries no attributes and cannot close itself (XML 1.0's ETag).
const END_TAG = /<\/([A-Za-z_][\w:.-]*)\s*>/y;
const COMMENT = /<!--[\s\S]*?-->/y;
const INSTRUCTION = /<\?[\s\S]*?\?>/y;
const COMMENT_OR_INSTRUCTION = [COMMENT, INSTRUCTION];
const ATTRIBUTE = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML 1.0's Char production: tab, LF, CR, and U+0020 up, less surrogates and U+FFFE/U+FFFF. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}
// A raw character XML forbids, or half of a surrogate pair (JavaScript strings can hold one).
const FORBIDDEN_RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function decode(text: string): string {
  if (!text.includes('&')) return text;
  if (/&(?!(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9A-Fa-f]{1,6});)/.test(text)) throw new MalformedEventError('bad entity');
  return text.replace(ENTITY, (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return NAMED[name] ?? '';
    const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '0', 16);
    if (!isXmlChar(code)) throw new MalformedEventError(`character reference to U+${code.toString(16).toUpperCase()}, which XML forbids`);
    return String.fromCodePoint(code);
  });
}

/**
 * An event's fields as its XML writes them: System's elements (EventID, EventRecordID, Channel,
 * Computer) by name, TimeCreated's SystemTime, and EventData's Data (or UserData's fields) by name.
 */
export interface EventFields { system: Map<string, string>; timeCreated: string | null; data: Map<string, string> }

function extract(xml: string): EventFields {
  if (FORBIDDEN_RAW.test(xml)) throw new MalformedEventError('a character XML forbids');
  const stack: string[] = [];
  const system = new Map<string, string>();
  const data = new Map<string, string>();
  let timeCreated: string | null = null;
  let dataName: string | null = null;
  let text = '';
  let sawRoot = false;
  for (let at = 0; at < xml.length;) {
    if (xml.charCodeAt(at) !== 0x3c /* < */) {
      const end = xml.indexOf('<', at);
      const chars = xml.slice(at, end < 0 ? xml.length : end);
      at = end < 0 ? xml.length : end;
      if (stack.length === 0) {
        if (chars.trim() !== '') throw new MalformedEventError('text outside the Event element');
        continue;
      }
      text += chars;
      continue;
    }
    if (xml.charCodeAt(at + 1) === 0x2f /* / */) {
      END_TAG.lastIndex = at;
      const end = END_TAG.exec(xml);
      if (!end) throw new MalformedEventError('a malformed end tag');
      at = END_TAG.lastIndex;
      const name = end[1] ?? '';
      if (stack.pop() !== name) throw new MalformedEventError(`unexpected </${name}>`);
      const parent = stack[stack.length - 1];
      if (parent === 'System') system.set(name, decode(text).trim());
      // A value exactly as logged: Windows pads some (LogonProcessName is often "Advapi  ").
      if (name === 'Data' && parent === 'EventData' && dataName !== null) data.set(dataName, decode(text));
      // UserData events (LocalSessionManager's) name each field by its element: <User>, <SessionID>, <Address>.
      if (parent === 'EventXML') data.set(name, decode(text));
      text = '';
      continue;
    }
    START_TAG.lastIndex = at;
    const m = START_TAG.exec(xml);
    if (!m) {
      // A comment or a processing instruction is skipped; any other "<" is not XML.
      const skipped = COMMENT_OR_INSTRUCTION.find((pattern) => { pattern.lastIndex = at; return pattern.test(xml); });
      if (!skipped) throw new MalformedEventError('stray "<"');
      at = skipped.lastIndex;
      continue;
    }
    at = START_TAG.lastIndex;
    const [, name = '', attributes, selfClosing] = m;
    if (stack.length === 0) {
      if (sawRoot || name !== 'Event') throw new MalformedEventError('the root element is not a single <Event>');
      sawRoot = true;
    }
    text = '';
    let nameAttribute: string | null = null;
    // Only <Data Name> and <TimeCreated SystemTime> are read; any other tag's attributes are only
    // checked: an entity in them must still be well-formed.
    if (attributes && name !== 'Data' && name !== 'TimeCreated') {
      if (attributes.includes('&')) decode(attributes);
    } else if (attributes) {
      ATTRIBUTE.lastIndex = 0;
      for (let a = ATTRIBUTE.exec(attributes); a; a = ATTRIBUTE.exec(attributes)) {
        const value = decode(a[2] ?? a[3] ?? '');
        if (a[1] === 'SystemTime' && name === 'TimeCreated') timeCreated = value;
        if (a[1] === 'Name') nameAttribute = value;
      }
    }
    if (name === 'Data') dataName = nameAttribute;
    // <Data Name='ProcessName'/>: the field is there, and empty.
    if (selfClosing && name === 'Data' && nameAttribute !== null && stack[stack.length - 1] === 'EventData') data.set(nameAttribute, '');
    if (!selfClosing) stack.push(name);
  }
  if (!sawRoot || stack.length > 0) throw new MalformedEventError('the XML ends before its elements close');
  return { system, timeCreated, data };
}

/**
 * A logon id as Security events write it: 0x-hex (Vista on, padded or not), or pre-Vista's
 * "(0x0,0x3E7)", its high and low 32-bit halves.
 */
function parseLogonId(text: string): bigint | null {
  if (/^0x[0-9A-Fa-f]{1,16}$/.test(text)) return BigInt(text);
  const legacy = /^\(0x([0-9A-Fa-f]{1,8}),\s*0x([0-9A-Fa-f]{1,8})\)$/.exec(text);
  return legacy ? (BigInt(`0x${legacy[1] ?? '0'}`) << 32n) | BigInt(`0x${legacy[2] ?? '0'}`) : null;
}

/** A LocalSessionManager event: User as DOMAIN\\user, SessionID, and Address (none in 23, a logoff). */
function lsmFields(data: Map<string, string>): Pick<SecurityEvent, 'targetUserName' | 'targetDomainName' | 'sessionId' | 'clientAddress'> {
  const user = data.get('User');
  const sessionText = data.get('SessionID') ?? '';
  if (user === undefined || !/^\d{1,10}$/.test(sessionText)) throw new MalformedEventError('no User or SessionID');
  const slash = user.indexOf('\\');
  return {
    targetUserName: slash < 0 ? user : user.slice(slash + 1),
    targetDomainName: slash < 0 ? '' : user.slice(0, slash),
    sessionId: Number(sessionText),
    clientAddress: data.get('Address') ?? null,
  };
}

/** Parses one event; throws MalformedEventError for anything that is not a complete event the console reads (CHANNEL_EVENTS). */
export function parseSecurityEvent(xml: string): SecurityEvent {
  return securityEventFromFields(extract(xml), xml);
}

/**
 * The event an event's fields describe, whether they came from its XML or from rendered values
 * (`xml` is then ''); throws MalformedEventError for anything that is not a complete event the
 * console reads (CHANNEL_EVENTS).
 */
export function securityEventFromFields({ system, timeCreated, data }: EventFields, xml: string): SecurityEvent {
  const eventId = Number(system.get('EventID'));
  const channel = system.get('Channel') === EVENT_CHANNELS.lsm ? 'lsm' : 'security';
  const known = CHANNEL_EVENTS[channel][eventId];
  if (!known) throw new MalformedEventError(`event ${system.get('EventID') ?? '?'} is not one the console reads`);
  const recordId = system.get('EventRecordID') ?? '';
  if (!/^\d+$/.test(recordId)) throw new MalformedEventError('no EventRecordID');
  if (timeCreated === null || Number.isNaN(Date.parse(timeCreated))) throw new MalformedEventError('no TimeCreated');
  if (channel === 'lsm') {
    return {
      ...NO_EVENT_DETAILS, eventId, eventName: known.name, kind: known.kind, channel, timeCreated, recordId, computer: system.get('Computer') ?? '',
      targetUserSid: '', targetLogonId: '', targetLogonIdHex: '', logonType: null, logonTypeName: null, ...lsmFields(data), xml,
    };
  }
  // A startup (4608) is about no logon session: its Logon ID is 0, as SYSTEM's own events write "no session".
  const logonId = known.kind === 'startup' ? 0n : parseLogonId(data.get('TargetLogonId') ?? data.get('LogonID') ?? data.get('LogonId') ?? '');
  if (logonId === null) throw new MalformedEventError('no TargetLogonId');
  const logonTypeText = data.get('LogonType');
  const logonType = logonTypeText !== undefined && /^\d{1,2}$/.test(logonTypeText) ? Number(logonTypeText) : null;
  const field = (name: string): string | null => data.get(name) ?? null;
  return {
    eventId,
    eventName: known.name,
    kind: known.kind,
    channel,
    sessionId: null,
    timeCreated,
    recordId,
    computer: system.get('Computer') ?? '',
    targetUserSid: data.get('TargetUserSid') ?? data.get('UserSid') ?? '',
    targetUserName: data.get('TargetUserName') ?? data.get('AccountName') ?? data.get('UserName') ?? '',
    targetDomainName: data.get('TargetDomainName') ?? data.get('AccountDomain') ?? data.get('DomainName') ?? '',
    targetLogonId: logonId.toString(),
    targetLogonIdHex: `0x${logonId.toString(16)}`,
    logonType,
    logonTypeName: logonType !== null ? (LOGON_TYPES[logonType]?.name ?? `Type ${logonType}`) : null,
    ipAddress: field('IpAddress'),
    ipPort: field('IpPort'),
    workstationName: field('WorkstationName'),
    logonProcessName: field('LogonProcessName'),
    authenticationPackageName: field('AuthenticationPackageName'),
    sessionName: field('SessionName'),
    clientName: field('ClientName'),
    clientAddress: field('ClientAddress'),
    xml,
  };
}

export interface ParseBatchResult { events: SecurityEvent[]; malformed: number }

/** Parses many; malformed ones are counted and skipped, never thrown. */
export function parseSecurityEvents(xmls: readonly string[]): ParseBatchResult {
  const events: SecurityEvent[] = [];
  let malformed = 0;
  for (const xml of xmls) {
    try {
      events.push(parseSecurityEvent(xml));
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      malformed++;
    }
  }
  return { events, malformed };
}
