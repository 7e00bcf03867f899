// The pairing code as people copy it between devices (device-client's PairingPhrase): the server's
// code XXXX-XXXX followed by a secret SSSS-SSSS made on the old device, all Crockford base32. The
// secret never goes to the server; it keys the wrap of the content key.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_SYMBOLS = 8;
export const SECRET_SYMBOLS = 8;

/** A pairing code that cannot be read; its message is for people. */
export class PhraseError extends Error {}

/** Upper case, without dashes and white space, O read as 0 and I, L as 1. */
export function normalize(text) {
  if (typeof text !== 'string') {
    throw new PhraseError('The pairing code is missing.');
  }
  let out = '';
  for (const c of text.toUpperCase()) {
    if (c === '-' || /\s/.test(c)) {
      continue;
    }
    const mapped = c === 'O' ? '0' : (c === 'I' || c === 'L') ? '1' : c;
    if (!ALPHABET.includes(mapped)) {
      throw new PhraseError(`"${c}" cannot be part of a pairing code: it uses digits and letters except U.`);
    }
    out += mapped;
  }
  return out;
}

/** A fresh random secret of 8 symbols (40 bits). */
export function newSecret() {
  // 32 symbols: the low 5 bits of a random byte pick one uniformly.
  return Array.from(crypto.getRandomValues(new Uint8Array(SECRET_SYMBOLS)), (b) => ALPHABET[b & 31]).join('');
}

/** Reads a code as typed: {serverCode, secret, lookupCode, display}. */
export function parse(typed) {
  const symbols = normalize(typed);
  if (symbols.length === CODE_SYMBOLS) {
    throw new PhraseError('That is only the first half of the pairing code. Type all 16 characters, '
      + 'XXXX-XXXX-XXXX-XXXX, as the other device shows them.');
  }
  if (symbols.length !== CODE_SYMBOLS + SECRET_SYMBOLS) {
    throw new PhraseError(`A pairing code has 16 characters (XXXX-XXXX-XXXX-XXXX); this has ${symbols.length}.`);
  }
  return phrase(symbols.substring(0, CODE_SYMBOLS), symbols.substring(CODE_SYMBOLS));
}

/** The phrase of the server's code (as the server shows it) and a secret. */
export function phrase(serverCode, secret) {
  const code = normalize(serverCode);
  const s = normalize(secret);
  if (code.length !== CODE_SYMBOLS || s.length !== SECRET_SYMBOLS) {
    throw new PhraseError('A pairing code has 16 characters (XXXX-XXXX-XXXX-XXXX).');
  }
  const lookupCode = `${code.substring(0, 4)}-${code.substring(4)}`;
  return {
    serverCode: code,
    secret: s,
    lookupCode,
    display: `${lookupCode}-${s.substring(0, 4)}-${s.substring(4)}`,
  };
}
