/**
 * `Content-Disposition: attachment` for a file name from a user (RFC 6266): an ASCII `filename`
 * for old clients, with anything outside printable ASCII and the quote and backslash replaced,
 * and the exact name as RFC 8187 `filename*=UTF-8''…`, percent-encoding every byte that is not
 * an attr-char (encodeURIComponent leaves ' ( ) * unencoded, which attr-char does not allow).
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
