/** The URL with its password removed, for messages and logs (no driver import: the file store's path uses it too). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '';
    return u.toString().replace(/^(\w+:\/\/[^:@/]*):?@/, '$1@');
  } catch {
    return '(an unparseable URL)';
  }
}
