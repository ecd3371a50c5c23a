/**
 * A strict RFC 4180 reader for the tests: every record ends in CRLF, a quoted
 * field may hold commas, quotes (doubled) and line breaks, and a line break
 * outside quotes other than CRLF is an error. An empty unquoted field reads as
 * null, `""` as the empty string (as Tenor writes them).
 */
export function parseCsv(text: string): Array<Array<string | null>> {
  const records: Array<Array<string | null>> = [];
  let record: Array<string | null> = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let atFieldStart = true;
  const endField = () => {
    record.push(quoted || field !== '' ? field : null);
    field = '';
    quoted = false;
    atFieldStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else inQuotes = false;
      continue;
    }
    if (ch === '"') {
      if (!atFieldStart) throw new Error(`a quote inside an unquoted field at ${i}`);
      inQuotes = quoted = true;
      atFieldStart = false;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      records.push(record);
      record = [];
      i++;
    } else if (ch === '\r' || ch === '\n') {
      throw new Error(`a bare line break outside quotes at ${i}`);
    } else {
      if (quoted) throw new Error(`text after a closing quote at ${i}`);
      field += ch;
      atFieldStart = false;
    }
  }
  if (inQuotes || field !== '' || record.length) throw new Error('the last record does not end in CRLF');
  return records;
}

/** What a JSON value of a list looks like in Tenor's CSV: null empty, text as it is, anything else as JSON. */
export function csvValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The NDJSON lines of a body as objects (every line a JSON object, the body ending in a newline). */
export function parseNdjson(text: string): any[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error('NDJSON must end with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
}
