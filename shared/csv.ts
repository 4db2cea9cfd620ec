// CSV (RFC 4180) for exports. Cells that a spreadsheet would run as a formula are prefixed with
// an apostrophe: a user or client name is text the console does not control.

// = + - @ as typed, in their full-width forms (which spreadsheets fold to the ASCII ones), and
// after leading blanks (which they skip); a leading tab or carriage return as well.
const FORMULA_START = /^(?:[\t\r]|[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;
// Quoted as well as "," itself: ";" is the list separator where "," is the decimal point, and a
// spreadsheet set that way would split "x;=1+1" into a cell that is a formula.
const NEEDS_QUOTES = /[",;\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
