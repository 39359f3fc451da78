/**
 * Text from a caller or a server as an error message may show it (messages end up in logs and terminals): control
 * characters (line breaks that forge a log line, ANSI escapes, C1 controls), format characters (bidi overrides,
 * zero-width), lone surrogates and line separators are written as escapes (`\u{1b}`); all else is kept. At most
 * `limit` characters of `text` are shown, then `...`.
 */
export const printable = (text: string, limit = 60): string =>
  (text.length > limit ? `${text.slice(0, limit)}...` : text).replace(
    /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu,
    (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`,
  );
