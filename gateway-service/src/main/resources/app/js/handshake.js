// The signed transcripts of PROTOCOL.md §1 and the device's side of the §3.1 handshake as pure
// functions (the session does the I/O), as device-client's Transcripts and ClientHandshake.

import { randomBytes, toBase64Url } from './bytes.js';
import { sign, verify } from './crypto.js';

export const PROTOCOL_VERSION = 1;

function join(...lines) {
  for (const line of lines) {
    if (typeof line !== 'string' || line.includes('\n')) {
      throw new Error('transcript lines must be present and contain no newline');
    }
  }
  return lines.join('\n');
}

export const transcripts = {
  register: (publicKey, deviceType, challenge) => join('pocketbridge/v1/register', publicKey, deviceType, challenge),
  token: (deviceId, challenge) => join('pocketbridge/v1/token', deviceId, challenge),
  serverHello: (userId, deviceId, nonceC, sessionId, nonceS, serverTime) => {
    if (!Number.isSafeInteger(serverTime)) {
      throw new Error('server_time is not an integer');
    }
    return join('pocketbridge/v1/server_hello', userId, deviceId, nonceC, sessionId, nonceS, String(serverTime));
  },
  clientAuth: (userId, deviceId, nonceC, sessionId, nonceS) =>
    join('pocketbridge/v1/client_auth', userId, deviceId, nonceC, sessionId, nonceS),
};

/** A fresh nonce_c: 32 random bytes, base64url. */
export function newNonce() {
  return toBase64Url(randomBytes(32));
}

/** The first frame. */
export function clientHello(device, nonceC) {
  return { type: 'client_hello', protocol_version: PROTOCOL_VERSION, user_id: device.userId,
    device_id: device.deviceId, nonce_c: nonceC };
}

/**
 * Null when {@code hello} is signed by its server_identity_pub over the server_hello transcript of
 * this device and nonce_c, and that key is the pinned one; else why not (for people).
 */
export async function checkServerHello(hello, device, nonceC, pinnedKey) {
  if (pinnedKey && hello.server_identity_pub !== pinnedKey) {
    return 'The server presented another identity key than the one this browser knows from registration. '
      + 'Someone may be in between, or the server was set up anew.';
  }
  let transcript;
  try {
    transcript = transcripts.serverHello(device.userId, device.deviceId, nonceC, hello.session_id, hello.nonce_s,
      hello.server_time);
  } catch {
    return 'The server\'s greeting lacks a field.';
  }
  if (!(await verify(hello.server_identity_pub, transcript, hello.server_signature))) {
    return 'The server\'s greeting is not signed by its identity key.';
  }
  return null;
}

/** The answer to a verified server_hello: the device key's signature over the client_auth transcript. */
export async function clientAuth(privateKey, device, nonceC, hello) {
  const transcript = transcripts.clientAuth(device.userId, device.deviceId, nonceC, hello.session_id, hello.nonce_s);
  return { type: 'client_auth', signature: await sign(privateKey, transcript) };
}
