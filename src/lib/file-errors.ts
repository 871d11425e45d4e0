/**
 * Plain words for file-system errors, shared by every layer that reports a file it could not open: the config loader,
 * the file sources, the CLI. Infrastructure, not a source's job: it lives here so that the config does not reach into
 * src/sources for it.
 */

/**
 * Plain words for why `path` could not be opened, read or listed, from the error code: `no such file: PATH`,
 * `permission denied: PATH`, `PATH is a folder, not a file` (and the folder forms for `what: 'folder'`); undefined
 * for a code without plain words. Shared by everything that reports a file it could not open (the CLI included).
 */
export function fileErrorWords(
  path: string,
  code: string | undefined,
  what: 'file' | 'folder' = 'file',
): string | undefined {
  switch (code) {
    case 'ENOENT':
      return `no such ${what}: ${path}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${path}`;
    case 'EISDIR':
      return `${path} is a folder, not a file`;
    case 'ENOTDIR':
      return what === 'folder'
        ? `${path} is a file, not a folder`
        : `no such file: ${path} (a part of the path is a file, not a folder)`;
    default:
      return undefined;
  }
}
