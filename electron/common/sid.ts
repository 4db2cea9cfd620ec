// Security identifiers between their binary form (what WTS_PROCESS_INFO_EXW points to and what
// LookupAccountSidW takes) and their text ("S-1-5-18"), as ConvertSidToStringSidW writes it.

/** SID_MAX_SUB_AUTHORITIES: a SID is at most 8 + 4 × 15 = 68 bytes. */
export const SID_MAX_BYTES = 68;

/** Bytes the SID starting at `header` occupies, from its first 8 bytes; null when it is not a SID. */
export function sidLength(header: Uint8Array): number | null {
  if (header.length < 8 || header[0] !== 1 || (header[1] ?? 16) > 15) return null;
  return 8 + 4 * (header[1] ?? 0);
}

/** "S-1-5-21-…"; an authority of 2^32 or more is written in hex, as Windows does. Null when the bytes are not a SID. */
export function sidToText(bytes: Uint8Array): string | null {
  const length = sidLength(bytes);
  if (length === null || bytes.length < length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  // 48 bits, big-endian: exact as a Number.
  const authority = view.getUint16(2) * 0x1_0000_0000 + view.getUint32(4);
  const parts = [authority < 0x1_0000_0000 ? String(authority) : `0x${authority.toString(16).toUpperCase().padStart(12, '0')}`];
  for (let i = 0; i < (bytes[1] ?? 0); i++) parts.push(String(view.getUint32(8 + 4 * i, true)));
  return `S-1-${parts.join('-')}`;
}

/** The binary SID for its text; null when the text is not a SID. */
export function sidFromText(text: string): Buffer | null {
  const match = /^S-1-(\d{1,15}|0x[0-9A-Fa-f]{1,12})((?:-\d{1,10}){0,15})$/.exec(text);
  if (!match) return null;
  const authority = BigInt(match[1] ?? '0');
  const sub = (match[2] ?? '').split('-').slice(1).map(Number);
  if (authority >= 1n << 48n || sub.some((v) => v > 0xffffffff)) return null;
  const out = Buffer.alloc(8 + 4 * sub.length);
  out[0] = 1;
  out[1] = sub.length;
  for (let i = 0; i < 6; i++) out[2 + i] = Number((authority >> BigInt(8 * (5 - i))) & 0xffn);
  sub.forEach((v, i) => out.writeUInt32LE(v, 8 + 4 * i));
  return out;
}
