// Every error in plain words: REST problem codes (PROTOCOL.md §2), WebSocket error codes (§5.2),
// event rejections (§3.2) and close codes (§3.6).

import { ApiError } from './api.js';
import { CryptoError } from './crypto.js';
import { ContentError } from './content.js';
import { PhraseError } from './phrase.js';

const PROBLEMS = {
  invalid_request: 'The server refused the request as malformed.',
  invalid_device_name: 'That device name cannot be used: give 1 to 50 characters.',
  device_name_taken: 'Another of your devices already has that name. Choose another name.',
  device_limit_reached: 'Your account already has as many devices as it may have (5). Remove one first.',
  public_key_taken: 'This device key is registered already.',
  pairing_token_invalid: 'The pairing code was used up or expired before this device could join. '
    + 'Create a new code on the other device.',
  challenge_invalid: 'The sign-in challenge expired or was used already. Try again.',
  signature_invalid: 'The server did not accept this device\'s signature.',
  authentication_failed: 'The server no longer accepts this device: it was removed or revoked, '
    + 'or its account was deleted.',
  unauthorized: 'The server did not accept this device\'s sign-in.',
  forbidden: 'This device is not allowed to do that.',
  refresh_token_reused: 'This device\'s sign-in was used twice, so the server ended it for safety.',
  refresh_token_invalid: 'This device\'s sign-in expired.',
  rate_limited: 'Too many requests in a short time.',
  unavailable: 'The server is unavailable right now. Try again in a moment.',
  payload_too_large: 'That is too large for the server.',
  internal_error: 'The server failed to handle the request.',
  not_found: 'Not found.',
};

const BY_STATUS = {
  400: 'The server refused the request.',
  401: 'The server did not accept this device\'s sign-in.',
  403: 'This device is not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with the current state.',
  413: 'That is too large for the server.',
  429: 'Too many requests in a short time.',
};

/** A sentence for a REST error; {@code context} may override codes (e.g. a pairing code's 404). */
export function describeApiError(error, context = {}) {
  if (error.status === 0) {
    return 'The server cannot be reached. Check the network connection and try again.';
  }
  let text = context[error.code] ?? context[error.status] ?? PROBLEMS[error.code] ?? BY_STATUS[error.status]
    ?? (error.status >= 500 ? 'The server is unavailable right now. Try again in a moment.'
      : 'The server refused the request.');
  if (error.retryAfterSeconds) {
    text += ` Try again in ${error.retryAfterSeconds} s.`;
  }
  if (error.requestId && error.status >= 500) {
    text += ` (Request id ${error.requestId}, for the server's operator.)`;
  }
  return text;
}

/** A sentence for anything thrown. */
export function describe(error, context = {}) {
  if (error instanceof ApiError) {
    return describeApiError(error, context);
  }
  if (error instanceof PhraseError || error instanceof CryptoError || error instanceof ContentError) {
    return error.message.charAt(0).toUpperCase() + error.message.slice(1);
  }
  if (error?.name === 'QuotaExceededError') {
    return 'The browser has no more room to store this. Free some space for this site.';
  }
  return error?.message ? `Something went wrong: ${error.message}` : 'Something went wrong.';
}

const WS_ERRORS = {
  authentication_failed: PROBLEMS.authentication_failed,
  protocol_error: 'The server did not understand this page (a protocol error). Reload the page.',
  unsupported_protocol_version: 'The server speaks another protocol version than this page. Reload the page.',
  handshake_timeout: 'Connecting took too long.',
  invalid_request: 'The server refused a request of this page as malformed.',
  rate_limited: 'Too many connections or requests from this network in a short time.',
  unavailable: 'A part of the server is unavailable right now.',
  internal_error: 'The server failed to handle a request.',
};

/** A sentence for a WebSocket error frame. */
export function describeErrorFrame(frame) {
  return WS_ERRORS[frame?.code] ?? `The server reported a problem (${frame?.code ?? 'unknown'}).`;
}

const REJECTIONS = {
  invalid_event: 'The server refused it as malformed.',
  expired: 'It had expired already.',
  non_monotonic_device_seq: 'Its sequence number was already used by this device. Send it again.',
  event_id_conflict: 'Its id was already used for other content. Send it again.',
  payload_too_large: 'It is too large (the limit is 1 MiB per event once encrypted).',
  rate_limited: 'This device sent too many events in a short time.',
  backpressure: 'The server is busy.',
  quota_exceeded: 'Your account\'s storage on the server is full: nothing more is stored until old events '
    + 'expire or are deleted.',
  unavailable: 'The server could not store it right now.',
  not_connected: 'There is no connection to the server.',
  stopped: 'This page is no longer connected.',
};

/** A sentence for an event_rejected code (or this page's own not_connected and stopped). */
export function describeRejection(code) {
  return REJECTIONS[code] ?? `The server refused it (${code}).`;
}

const CLOSES = {
  1000: 'The connection was closed.',
  1001: 'The server is restarting or going away.',
  1006: 'The connection to the server was lost.',
  1008: 'The server ended the connection (a protocol or sign-in problem).',
  1009: 'A message was too large for the server.',
  1011: 'The server had an internal error.',
  1013: 'The server is overloaded or a part of it is down.',
  4001: 'The session expired.',
  4003: 'This device was removed or revoked, or its account was deleted. It can no longer connect.',
  4008: 'Connecting took too long.',
  4029: 'Too many connections from this network in a short time.',
  4409: 'This device connected from another tab or window, so this one was disconnected.',
};

/** A sentence for a close code. */
export function describeClose(code) {
  return CLOSES[code] ?? `The connection closed (code ${code}).`;
}
