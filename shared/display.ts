// Text that came from a server (user, domain, session and client names, event fields) can hold
// characters that are not seen but change what is: controls that move a terminal's cursor or set
// its title, bidi overrides that display "target" for "tegrat", zero-width characters that make
// two names look alike. Shown, never interpreted: each becomes a visible \uXXXX escape.

/** Code point ranges: C0, DEL and C1 controls; soft hyphen; combining grapheme joiner; Arabic letter mark; Hangul fillers; Khmer and Mongolian invisibles; zero-width, bidi marks, line/paragraph separators, embeddings, overrides, isolates and other format characters; variation selectors; BOM; interlinear annotations; tags. */
const HIDDEN_RANGES: readonly (readonly [number, number])[] = [
  [0x0000, 0x001f], [0x007f, 0x009f], [0x00ad, 0x00ad], [0x034f, 0x034f], [0x061c, 0x061c], [0x115f, 0x1160], [0x17b4, 0x17b5],
  [0x180b, 0x180f], [0x200b, 0x200f], [0x2028, 0x202e], [0x2060, 0x206f], [0x3164, 0x3164], [0xfe00, 0xfe0f], [0xfeff, 0xfeff],
  [0xffa0, 0xffa0], [0xfff9, 0xfffb], [0xe0000, 0xe007f],
];

function isHidden(codePoint: number): boolean {
  for (const [first, last] of HIDDEN_RANGES) if (codePoint >= first && codePoint <= last) return true;
  return false;
}

/** Whether the text holds a control, bidi, zero-width or other invisible character. */
export function hasHiddenCharacters(text: string): boolean {
  for (const ch of text) if (isHidden(ch.codePointAt(0) ?? 0)) return true;
  return false;
}

/** The text with every hidden character written as \uXXXX (or \u{XXXXX}), so it can be printed or shown safely. */
export function revealHidden(text: string): string {
  if (!hasHiddenCharacters(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (!isHidden(code)) out += ch;
    else out += code > 0xffff ? `\\u{${code.toString(16).toUpperCase()}}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}
