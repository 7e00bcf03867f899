// This browser as a device (device-client's Device): registration as a new user or with a pairing
// code, access tokens (refreshed, or signed for again with the device key), the devices list and
// pairing codes for the user's next device. Its state lives in IndexedDB (store.js).

import { ApiError, api } from './api.js';
import { fromBase64Url, toBase64Url } from './bytes.js';
import { newContentKey, newDeviceKeyPair, sign, unwrapContentKey, wrapContentKey } from './crypto.js';
import { transcripts } from './handshake.js';
import { newSecret, parse, phrase } from './phrase.js';
import { kv } from './store.js';

export const DEVICE_TYPE = 'web';
/** Renew an access token this long before it expires. */
const TOKEN_MARGIN_MS = 30000;

export class Device {
  constructor(state, contentKey, serverKey) {
    this.userId = state.userId;
    this.deviceId = state.deviceId;
    this.deviceName = state.deviceName;
    this.privateKey = state.privateKey;
    this.publicKey = state.publicKey;
    this.contentKey = contentKey;
    this.serverKey = serverKey;
  }

  /** The device this browser holds, or null. */
  static async load() {
    const state = await kv.get('device');
    if (!state) {
      return null;
    }
    return new Device(state, await kv.get('contentKey'), await kv.get('serverKey'));
  }

  /** Registers a new user with this browser as its first device and a new content key. */
  static async registerNewUser(name) {
    const serverKey = (await api.serverInfo()).server_identity_pub;
    const contentKey = await newContentKey();
    return register(name, null, contentKey, serverKey, null);
  }

  /**
   * Joins the user of a pairing code typed in: looks the code up (which uses it up), unwraps the
   * content key with the code's secret before registering (so a mistyped secret leaves no device
   * behind), then registers with the pairing token.
   */
  static async join(typed, name) {
    const code = parse(typed);
    const serverKey = (await api.serverInfo()).server_identity_pub;
    const lookup = await api.lookupPairing(code.lookupCode);
    let payload;
    try {
      payload = fromBase64Url(lookup.encrypted_payload);
    } catch {
      throw new Error('The pairing code carries no readable key. Create a new code on the other device.');
    }
    const contentKey = await unwrapContentKey(code.secret, payload);
    return register(name, lookup.pairing_token, contentKey, serverKey, lookup.user_id);
  }

  /** A valid access token: the stored one, a refreshed one, or one signed for with the device key. */
  async accessToken() {
    const tokens = await kv.get('tokens');
    if (tokens && tokens.expiresAt - TOKEN_MARGIN_MS > Date.now()) {
      return tokens.access;
    }
    if (tokens?.refresh) {
      try {
        return await this.storeTokens(await api.refresh(tokens.refresh));
      } catch (e) {
        if (!(e instanceof ApiError) || e.status === 0 || e.status === 429 || e.status >= 500) {
          throw e;
        }
        // a used or unknown refresh token: sign in again with the key
      }
    }
    const { challenge } = await api.challenge('token', this.deviceId);
    const signature = await sign(this.privateKey, transcripts.token(this.deviceId, challenge));
    return this.storeTokens(await api.token(this.deviceId, challenge, signature));
  }

  async storeTokens(answer) {
    await kv.set('tokens', { access: answer.access_token, refresh: answer.refresh_token,
      expiresAt: Date.now() + answer.expires_in * 1000 });
    return answer.access_token;
  }

  /** Calls {@code action(token)}; once more with a new token when the first one is refused (401). */
  async withToken(action) {
    try {
      return await action(await this.accessToken());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        await kv.set('tokens', null);
        return action(await this.accessToken());
      }
      throw e;
    }
  }

  /** The user's devices (GET /api/v1/devices). */
  devices() {
    return this.withToken((token) => api.devices(token));
  }

  /** A pairing code for a new device: {display, expiresAt}. The secret half never leaves this browser. */
  async createPairingCode() {
    const secret = newSecret();
    const payload = toBase64Url(await wrapContentKey(secret, this.contentKey));
    const pairing = await this.withToken((token) => api.createPairing(token, payload));
    return { display: phrase(pairing.code, secret).display, expiresAt: pairing.expires_at };
  }

  /** Removes this device from the user (its tokens and sessions end). */
  removeSelf() {
    return this.withToken((token) => api.removeDevice(token, this.deviceId));
  }
}

async function register(name, pairingToken, contentKey, serverKey, expectedUserId) {
  const { privateKey, publicKey } = await newDeviceKeyPair();
  const { challenge } = await api.challenge('register', null);
  const signature = await sign(privateKey, transcripts.register(publicKey, DEVICE_TYPE, challenge));
  const request = { public_key: publicKey, device_name: name, device_type: DEVICE_TYPE, challenge, signature };
  if (pairingToken) {
    request.pairing_token = pairingToken;
  }
  const registration = await api.register(request);
  if (expectedUserId && registration.user_id !== expectedUserId) {
    throw new Error('The server registered this device into another account than the pairing code\'s.');
  }
  const state = { userId: registration.user_id, deviceId: registration.device_id, deviceName: name,
    privateKey, publicKey };
  await kv.set('contentKey', contentKey);
  await kv.set('serverKey', serverKey);
  await kv.set('cursor', 0);
  await kv.set('deviceSeq', 0);
  await kv.set('device', state);
  return new Device(state, contentKey, serverKey);
}
