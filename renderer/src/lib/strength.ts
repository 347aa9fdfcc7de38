// A rough, honest strength estimate for the master password: guessable patterns cost, length and
// variety pay. It is advice, not a gate (the vault takes any password the user confirms).
const COMMON = [
  'password',
  'passwort',
  'qwerty',
  'letmein',
  'admin',
  'welcome',
  '123456',
  'iloveyou',
  'keyhold',
  'secret',
  'dragon',
  'monkey',
];

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  bits: number;
}

export function estimateStrength(password: string): Strength {
  if (!password) return { score: 0, label: 'Empty', bits: 0 };
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/[0-9]/.test(password)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(password)) pool += 33;
  const unique = new Set(password).size;
  // repeated characters and runs add little: count effective length by distinct characters
  const effective = Math.min(password.length, unique * 2);
  let bits = effective * Math.log2(Math.max(pool, 2));
  const lower = password.toLowerCase();
  if (COMMON.some((w) => lower.includes(w))) bits -= 28;
  if (/^(.)\1+$/.test(password)) bits = Math.min(bits, 8);
  if (/(0123|1234|2345|3456|4567|5678|6789|abcd|bcde|cdef|qwer|asdf)/i.test(password)) bits -= 10;
  bits = Math.max(0, Math.round(bits));
  const score = bits < 28 ? 1 : bits < 50 ? 2 : bits < 72 ? 3 : 4;
  const label = ['Empty', 'Weak', 'Fair', 'Strong', 'Very strong'][score]!;
  return { score: score as Strength['score'], label, bits };
}
