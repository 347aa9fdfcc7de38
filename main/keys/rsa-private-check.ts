// The consistency checks OpenSSL's RSA_check_key makes on RSA private key material, which neither
// Node's createPrivateKey nor OpenSSH's file reader makes for us: a key with p = 1 or a wrong
// CRT coefficient would otherwise be stored and fail (or crash) only at export or signing.
// Primality of p and q is not tested: for the large keys OpenSSH allows it costs seconds.
import { KeyholdError } from '../errors';

const num = (b: Buffer): bigint => (b.length === 0 ? 0n : BigInt(`0x${b.toString('hex')}`));

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export interface RsaPrivateFields {
  n: Buffer;
  e: Buffer;
  d: Buffer;
  iqmp: Buffer;
  p: Buffer;
  q: Buffer;
}

/** INVALID_INPUT naming what is inconsistent (never a number of the key). */
export function checkRsaPrivate(fields: RsaPrivateFields, what: string): void {
  const [n, e, d, iqmp, p, q] = [fields.n, fields.e, fields.d, fields.iqmp, fields.p, fields.q].map(num) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const fail = (why: string): never => {
    throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: not a consistent RSA key (${why}).`);
  };
  if (p <= 1n || q <= 1n) fail('a prime factor is 0 or 1');
  if (p === q) fail('its two prime factors are the same');
  if (p * q !== n) fail('its prime factors do not multiply to its modulus');
  if (e <= 1n || e % 2n === 0n) fail('the public exponent must be odd and greater than 1');
  const pm1 = p - 1n;
  const qm1 = q - 1n;
  const lambda = (pm1 / gcd(pm1, qm1)) * qm1;
  if (d <= 1n || d >= n || (d * e) % lambda !== 1n) fail('the private exponent is not the inverse of the public one');
  if (iqmp === 0n || iqmp >= p || (iqmp * q) % p !== 1n) fail('the CRT coefficient is not the inverse of q mod p');
}
