// Types for the bcrypt-pbkdf package (OpenBSD's bcrypt_pbkdf, as OpenSSH uses it); it ships none.
declare module 'bcrypt-pbkdf' {
  /** Fills `key` with `keylen` derived bytes; returns 0 on success, -1 on bad parameters. */
  export function pbkdf(
    pass: Uint8Array,
    passlen: number,
    salt: Uint8Array,
    saltlen: number,
    key: Uint8Array,
    keylen: number,
    rounds: number,
  ): number;
}
