// The message a bcrypt_pbkdf worker is given, checked on arrival (it crossed a thread boundary).

export interface KdfJob {
  pass: Uint8Array;
  salt: Uint8Array;
  keyLen: number;
  rounds: number;
}

const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;

export function parseKdfJob(data: unknown): KdfJob | null {
  if (typeof data !== 'object' || data === null) return null;
  const { pass, salt, keyLen, rounds } = data as Record<string, unknown>;
  if (!(pass instanceof Uint8Array) || !(salt instanceof Uint8Array)) return null;
  if (!isCount(keyLen, 1024) || !isCount(rounds, 2 ** 31)) return null;
  return { pass, salt, keyLen, rounds };
}
