// CSV (RFC 4180) for exports. Cells that a spreadsheet would run as a formula are prefixed with
// an apostrophe: a user or client name is text the console does not control.

// = + - @ as typed, in their full-width forms (which spreadsheets fold to the ASCII ones), and
// after leading blanks (which they skip); a leading tab or carriage return as well.
const FORMULA_START = /^(?:[\t\r]|[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;
// Where "," is the decimal point, ";" is the list separator: a spreadsheet set that way splits a
// comma-separated file at every ";", quotes or not (a quote counts only at the start of a field),
// and ends a row at every line break. So inside a cell, what follows a ";" or a line break is
// defused too, as the start of a cell is ("x;=1+1" is written "x;'=1+1"); LibreOffice, reading the
// exports both ways, finds no formula (electron/common/csv-spreadsheet.test.ts).
const FORMULA_AFTER_SPLIT = /([;\r\n])([\s\u00a0\u3000"]*)(?=[=+\-@\uff1d\uff0b\uff0d\uff20])/g;
const NEEDS_QUOTES = /[",;\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  text = text.replace(FORMULA_AFTER_SPLIT, "$1$2'");
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
