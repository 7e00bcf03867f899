// The REST API of PROTOCOL.md §2 on the page's own origin (device-client's PocketBridgeApi).
// Every answer that is not 2xx throws an ApiError read from its problem details.

/** A refused or failed request: HTTP status (0: no answer), the problem's code, detail and request id. */
export class ApiError extends Error {
  constructor(status, code, detail, requestId, retryAfterSeconds) {
    super(`HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.requestId = requestId;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

async function call(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, cache: 'no-store', credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached', null, null);
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      // not a problem document (a proxy's page): the status alone speaks
    }
    const retry = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(response.status, typeof problem.code === 'string' ? problem.code : null,
      typeof problem.detail === 'string' ? problem.detail : null,
      problem.request_id ?? response.headers.get('X-Request-ID'), Number.isFinite(retry) ? retry : null);
  }
  return response.status === 204 ? null : response.json();
}

export const api = {
  serverInfo: () => call('GET', '/api/v1/server-info'),
  challenge: (purpose, deviceId) => call('POST', '/api/v1/auth/challenge',
    { body: deviceId ? { purpose, device_id: deviceId } : { purpose } }),
  register: (request) => call('POST', '/api/v1/devices/register', { body: request }),
  token: (deviceId, challenge, signature) => call('POST', '/api/v1/auth/token',
    { body: { device_id: deviceId, challenge, signature } }),
  refresh: (refreshToken) => call('POST', '/api/v1/auth/refresh', { body: { refresh_token: refreshToken } }),
  createPairing: (token, encryptedPayload) => call('POST', '/api/v1/pairing',
    { token, body: { encrypted_payload: encryptedPayload } }),
  lookupPairing: (code) => call('GET', `/api/v1/pairing/${encodeURIComponent(code)}`),
  devices: (token) => call('GET', '/api/v1/devices', { token }),
  removeDevice: (token, deviceId) => call('DELETE', `/api/v1/devices/${encodeURIComponent(deviceId)}`, { token }),
};
