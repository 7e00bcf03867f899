// WebCrypto for the device: Ed25519 device keys and signatures (PROTOCOL.md §1), the content
// cipher (AES-256-GCM, device-client's ContentCipher) and the pairing key wrap (PBKDF2-HMAC-SHA256,
// device-client's PairingKeyWrap). No other library is needed: current browsers have all of them.

import { concat, fromBase64UrlExact, randomBytes, toBase64Url, utf8 } from './bytes.js';
import { normalize } from './phrase.js';

const subtle = globalThis.crypto?.subtle;

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const PAIRING_ITERATIONS = 200000;
export const SALT_BYTES = 16;
const PAIRING_AAD = utf8('pocketbridge/pairing/v1');

/** Decryption failed: wrong key, wrong pairing code, or changed data. */
export class CryptoError extends Error {}

/**
 * Why this browser cannot be a device, or null when it can: WebCrypto needs a secure context
 * (https, or http://localhost), and Ed25519 in WebCrypto is recent.
 */
export async function unsupportedReason() {
  if (!globalThis.isSecureContext || !subtle) {
    return 'This page is not in a secure context, so the browser offers no cryptography. Open it over https, '
      + 'or as http://localhost.';
  }
  if (!globalThis.indexedDB) {
    return 'This browser offers no IndexedDB storage here (a private window may turn it off), so it cannot keep '
      + 'a device key.';
  }
  try {
    await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    return null;
  } catch {
    return 'This browser has no Ed25519 in WebCrypto. Use a current Chrome, Edge, Firefox or Safari.';
  }
}

// --- Ed25519 ---------------------------------------------------------------------------------

/** A new device key pair: the private key is not extractable; the public key as base64url. */
export async function newDeviceKeyPair() {
  const keyPair = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  const publicKey = toBase64Url(await subtle.exportKey('raw', keyPair.publicKey));
  return { privateKey: keyPair.privateKey, publicKey };
}

/** An Ed25519 private key from a 32-byte seed (the protocol vectors' fixed keys). */
export function importSeed(seed, publicKey) {
  return subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d: toBase64Url(seed), x: publicKey },
    { name: 'Ed25519' }, false, ['sign']);
}

/** The base64url signature of the UTF-8 bytes of {@code transcript}. */
export async function sign(privateKey, transcript) {
  return toBase64Url(await subtle.sign({ name: 'Ed25519' }, privateKey, utf8(transcript)));
}

/** True when {@code signature} (base64url) is {@code publicKey}'s (base64url) over {@code transcript}. */
export async function verify(publicKey, transcript, signature) {
  const key = fromBase64UrlExact(publicKey, 32);
  const sig = fromBase64UrlExact(signature, 64);
  if (!key || !sig) {
    return false;
  }
  try {
    const imported = await subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
    return await subtle.verify({ name: 'Ed25519' }, imported, sig, utf8(transcript));
  } catch {
    return false;
  }
}

// --- content cipher --------------------------------------------------------------------------

/** The associated data of an event: {@code pocketbridge/event/v1\n<stream_id>\n<event_type>}. */
export function eventAad(streamId, eventType) {
  return utf8(`pocketbridge/event/v1\n${streamId}\n${eventType}`);
}

/**
 * A new random 32-byte content key. Extractable: this browser must be able to wrap it into a
 * pairing code for the user's next device (docs/browser-device.md, "The content key").
 */
export function newContentKey() {
  return subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

/** {@code nonce(12) || ciphertext || tag(16)} of {@code plaintext} under {@code key} with {@code aad}. */
export async function seal(key, plaintext, aad) {
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, key,
    plaintext);
  return concat(nonce, sealed);
}

/** Reverses {@link seal}; throws {@link CryptoError} when the key, the aad or the data is wrong. */
export async function open(key, sealed, aad) {
  if (!sealed || sealed.length < NONCE_BYTES + TAG_BYTES) {
    throw new CryptoError('ciphertext too short');
  }
  try {
    return new Uint8Array(await subtle.decrypt({
      name: 'AES-GCM', iv: sealed.subarray(0, NONCE_BYTES), additionalData: aad, tagLength: 128,
    }, key, sealed.subarray(NONCE_BYTES)));
  } catch {
    throw new CryptoError('the data does not authenticate (wrong key or changed data)');
  }
}

// --- pairing key wrap ------------------------------------------------------------------------

async function pairingKey(secret, salt) {
  const password = await subtle.importKey('raw', utf8(normalize(secret)), 'PBKDF2', false, ['deriveKey']);
  return subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PAIRING_ITERATIONS }, password,
    { name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
}

/** {@code salt(16) || nonce(12) || ciphertext || tag(16)}: the content key sealed under the pairing secret. */
export async function wrapContentKey(secret, contentKey) {
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const wrapped = await subtle.wrapKey('raw', contentKey, await pairingKey(secret, salt),
    { name: 'AES-GCM', iv: nonce, additionalData: PAIRING_AAD, tagLength: 128 });
  return concat(salt, nonce, wrapped);
}

/** The content key of a pairing payload; throws {@link CryptoError} for a wrong secret. */
export async function unwrapContentKey(secret, payload) {
  if (!payload || payload.length <= SALT_BYTES + NONCE_BYTES + TAG_BYTES) {
    throw new CryptoError('the pairing payload is too short');
  }
  const salt = payload.subarray(0, SALT_BYTES);
  const nonce = payload.subarray(SALT_BYTES, SALT_BYTES + NONCE_BYTES);
  let key;
  try {
    key = await subtle.unwrapKey('raw', payload.subarray(SALT_BYTES + NONCE_BYTES), await pairingKey(secret, salt),
      { name: 'AES-GCM', iv: nonce, additionalData: PAIRING_AAD, tagLength: 128 },
      { name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  } catch {
    throw new CryptoError('The pairing code does not match its second half (mistyped, or changed on the way). '
      + 'It is used up now: create a new one on the other device.');
  }
  if (key.algorithm.length !== 256) {
    throw new CryptoError('the pairing payload holds no 32-byte content key');
  }
  return key;
}

/** Lowercase hex SHA-256 of bytes. */
export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
