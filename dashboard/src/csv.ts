// CSV export of the child-organizations table: UTF-8 with a BOM so Excel reads Vietnamese.

/** BOM makes spreadsheet programs detect UTF-8. */
export const BOM = '\uFEFF';

/**
 * FORMULA matches a cell a spreadsheet would run as a formula: one that starts,
 * after any spaces, with = + - @ (ASCII or full-width), a tab or a carriage return.
 */
const FORMULA = /^[ \u00a0\u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** NUMBER matches a plain number as the dashboard writes it: -5, 1.004, 167,3%. */
const NUMBER = /^-?\d+([.,]\d+)*%?$/;

/** neutralise prefixes a formula-like cell with an apostrophe, so it stays text. */
export function neutralise(s: string): string {
  return FORMULA.test(s) && !NUMBER.test(s) ? `'${s}` : s;
}

/** csvField quotes a field when it holds a separator, a quote or a line break. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // Guard against formula injection when the file is opened in a spreadsheet.
  const safe = typeof v === 'number' ? s : neutralise(s);
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** toCsv writes a header and rows, CRLF-terminated, with a leading BOM. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const lines = [header, ...rows].map((r) => r.map(csvField).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** downloadCsv hands the text to the browser as a file. */
export function downloadCsv(filename: string, text: string): void {
  const blob = new Blob([text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
