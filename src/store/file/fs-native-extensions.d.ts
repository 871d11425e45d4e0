/** The part of `fs-native-extensions` (CommonJS, no bundled types) that store-lock.ts uses. */
declare module 'fs-native-extensions' {
  /** Takes an exclusive (or, with `shared`, a shared) lock on the open file `fd` without waiting; false when held. */
  export function tryLock(fd: number, opts?: { shared?: boolean }): boolean;
  /** Releases a lock taken on `fd` (closing the file does too). */
  export function unlock(fd: number): void;
  const fsx: { tryLock: typeof tryLock; unlock: typeof unlock };
  export default fsx;
}
