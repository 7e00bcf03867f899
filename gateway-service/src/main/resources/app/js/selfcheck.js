// Checks this page's transcripts, signatures and handshake against the protocol's fixed vectors
// (common-lib/src/test/resources/protocol-vectors.json): Ed25519 is deterministic, so the same keys
// and inputs must give the same bytes. The end-to-end test runs it in the browser; a person can too,
// from the browser console: (await import('/app/js/selfcheck.js')).checkVectors(vectors).

import { fromHex } from './bytes.js';
import { importSeed, sign, verify } from './crypto.js';
import { checkServerHello, clientAuth, clientHello, transcripts } from './handshake.js';

/** {ok, failures}: every mismatch with the vectors, in words. */
export async function checkVectors(vectors) {
  const failures = [];
  const expect = (what, actual, expected) => {
    if (actual !== expected) {
      failures.push(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    }
  };
  const input = vectors.inputs;
  const devicePub = vectors.device_key.public_key;
  const serverPub = vectors.server_identity_key.server_identity_pub;
  const deviceKey = await importSeed(fromHex(vectors.device_key.private_seed_hex), devicePub);
  const serverKey = await importSeed(fromHex(vectors.server_identity_key.private_seed_hex), serverPub);
  const device = { userId: input.user_id, deviceId: input.device_id };

  const register = transcripts.register(devicePub, input.device_type, input.challenge);
  expect('register transcript', register, vectors.register.transcript);
  expect('register signature', await sign(deviceKey, register), vectors.register.signature);
  const token = transcripts.token(input.device_id, input.challenge);
  expect('token transcript', token, vectors.token.transcript);
  expect('token signature', await sign(deviceKey, token), vectors.token.signature);

  const helloTranscript = transcripts.serverHello(input.user_id, input.device_id, input.nonce_c, input.session_id,
    input.nonce_s, input.server_time);
  expect('server_hello transcript', helloTranscript, vectors.server_hello.transcript);
  expect('server_hello signature', await sign(serverKey, helloTranscript), vectors.server_hello.signature);
  expect('server_hello verifies', await verify(serverPub, helloTranscript, vectors.server_hello.signature), true);

  // The handshake as the session runs it: client_hello, the check of server_hello, client_auth.
  const hello = clientHello(device, input.nonce_c);
  expect('client_hello', JSON.stringify(hello), JSON.stringify({ type: 'client_hello', protocol_version: 1,
    user_id: input.user_id, device_id: input.device_id, nonce_c: input.nonce_c }));
  const serverHello = { type: 'server_hello', session_id: input.session_id, nonce_s: input.nonce_s,
    server_time: input.server_time, server_identity_pub: serverPub, server_signature: vectors.server_hello.signature };
  expect('server_hello accepted', await checkServerHello(serverHello, device, input.nonce_c, serverPub), null);
  const tampered = { ...serverHello, server_time: input.server_time + 1 };
  expect('tampered server_hello refused',
    typeof (await checkServerHello(tampered, device, input.nonce_c, serverPub)), 'string');
  expect('another pinned key refused',
    typeof (await checkServerHello(serverHello, device, input.nonce_c, devicePub)), 'string');
  const auth = await clientAuth(deviceKey, device, input.nonce_c, serverHello);
  expect('client_auth transcript', transcripts.clientAuth(input.user_id, input.device_id, input.nonce_c,
    input.session_id, input.nonce_s), vectors.client_auth.transcript);
  expect('client_auth signature', auth.signature, vectors.client_auth.signature);
  return { ok: failures.length === 0, failures };
}
