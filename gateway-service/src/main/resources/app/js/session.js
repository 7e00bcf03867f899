// The device's WebSocket session (PROTOCOL.md §3), kept up for as long as the page runs: the §3.1
// handshake, catch-up by replay from the stored cursor (§3.4), live events in seq order with a
// replay on a gap (§3.3), cumulative acks, sending with event_ack/event_rejected, and the close
// codes of §3.6: a new handshake at once on 4001; stop on 4003, 4409 and a refused sign-in;
// back-off with jitter on 1013, 4029 and everything else (network loss included).

import { toBase64Url, uuidV7 } from './bytes.js';
import { checkServerHello, clientAuth, clientHello, newNonce } from './handshake.js';
import { describeClose, describeErrorFrame } from './messages.js';
import { kv } from './store.js';

const HANDSHAKE_TIMEOUT_MS = 20000;
const REPLAY_TIMEOUT_MS = 20000;
const OUTCOME_TIMEOUT_MS = 45000;
const OPEN_WAIT_MS = 60000;
const REPLAY_LIMIT = 200;
const ACK_DELAY_MS = 300;
const MAX_BACKOFF_MS = 60000;
const SEND_RETRIES = 10;
/** After the page was hidden this long, check the connection and catch up when it is shown again. */
const HIDDEN_CHECK_MS = 20000;

/** An event that was not stored: its event_rejected code (or not_connected, stopped) and the server's message. */
export class SendError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Session {
  /**
   * @param device   the Device (ids, private key, pinned server key)
   * @param handlers onState({name, text, kind}), onEvent(event) (async, in seq order),
   *                 onCatchUp({running, count}), onNotice(text), onEstablished(frame)
   */
  constructor(device, handlers) {
    this.device = device;
    this.handlers = handlers;
    this.running = false;
    this.ws = null;
    this.phase = 'closed';
    this.attempt = 0;
    this.live = [];
    this.outcomes = new Map();
    this.openWaiters = [];
    this.sendChain = Promise.resolve();
    this.hiddenAt = null;
  }

  async start() {
    if (this.running) {
      return;
    }
    this.running = true;
    this.cursor = (await kv.get('cursor')) ?? 0;
    this.deviceSeq = (await kv.get('deviceSeq')) ?? 0;
    if (!this.listening) {
      this.listening = true;
      addEventListener('online', () => this.wake());
      addEventListener('offline', () => this.networkLost());
      addEventListener('pageshow', () => this.wake());
      addEventListener('pagehide', () => this.leave());
      document.addEventListener('visibilitychange', () => this.visibilityChanged());
    }
    this.connect();
  }

  /** Connects again now (after a stop, or instead of waiting for the back-off). */
  reconnect() {
    if (!this.running) {
      this.running = true;
      this.attempt = 0;
    }
    this.connect();
  }

  /** Ends the session for good (until start or reconnect). */
  stop(text, kind = 'stopped') {
    this.running = false;
    clearTimeout(this.retryTimer);
    const ws = this.ws;
    if (ws) {
      this.ackNow(ws);
      this.dropConnection(ws);
      ws.close(1000, 'stopped');
    }
    for (const waiter of this.openWaiters.splice(0)) {
      waiter.reject(new SendError('stopped'));
    }
    this.setState('stopped', text, kind);
  }

  setState(name, text, kind) {
    this.state = name;
    this.handlers.onState?.({ name, text, kind });
  }

  // --- connecting and the handshake -----------------------------------------------------------

  connect() {
    clearTimeout(this.retryTimer);
    if (!this.running || (this.ws && this.phase !== 'closed')) {
      return;
    }
    if (!navigator.onLine) {
      this.setState('offline', 'No network. This page connects again as soon as the network is back.');
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}/ws`);
    this.ws = ws;
    this.phase = 'handshake';
    this.lastError = null;
    this.refusal = null;
    this.nonceC = newNonce();
    this.hello = null;
    this.inbound = Promise.resolve();
    this.setState('connecting', this.attempt > 0 ? 'Reconnecting…' : 'Connecting…');
    const timer = setTimeout(() => {
      if (this.ws === ws && this.phase === 'handshake') {
        this.lastError = { code: 'handshake_timeout' };
        ws.close(1000, 'handshake timeout');
      }
    }, HANDSHAKE_TIMEOUT_MS);
    ws.onopen = () => ws.send(JSON.stringify(clientHello(this.device, this.nonceC)));
    ws.onmessage = (message) => this.received(ws, message.data);
    ws.onclose = (event) => {
      clearTimeout(timer);
      this.closed(ws, event.code);
    };
  }

  received(ws, data) {
    if (ws !== this.ws) {
      return;
    }
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // not JSON: nothing a server of this protocol sends
    }
    if (this.phase === 'handshake') {
      // In order, one at a time: checking the server's signature is asynchronous.
      this.inbound = this.inbound.then(() => this.handshakeFrame(ws, frame)).catch((e) => {
        this.refusal = `The handshake failed: ${e.message}`;
        ws.close(1000, 'handshake failed');
      });
      return;
    }
    this.dispatch(frame);
  }

  /** A frame of an established session. */
  dispatch(frame) {
    switch (frame.type) {
      case 'event':
        this.live.push(frame);
        this.pump();
        break;
      case 'event_ack':
      case 'event_rejected':
        this.outcomes.get(frame.event_id)?.(frame);
        break;
      case 'replay_response':
        if (this.replayWaiter && (!frame.request_id || frame.request_id === this.replayWaiter.requestId)) {
          this.replayWaiter.resolve(frame);
        }
        break;
      case 'error':
        this.lastError = frame;
        if (this.replayWaiter) {
          this.replayWaiter.reject(Object.assign(new Error(describeErrorFrame(frame)), { code: frame.code }));
        } else {
          this.handlers.onNotice?.(describeErrorFrame(frame));
        }
        break;
      default:
        break; // session_expiring (a 4001 follows), and frame types of newer servers
    }
  }

  async handshakeFrame(ws, frame) {
    if (ws !== this.ws) {
      return;
    }
    if (this.phase === 'open') {
      this.dispatch(frame); // arrived right behind session_established
      return;
    }
    if (frame.type === 'error') {
      this.lastError = frame; // the server closes next
      return;
    }
    if (!this.hello) {
      if (frame.type !== 'server_hello') {
        throw new Error(`expected server_hello, got ${frame.type}`);
      }
      const refusal = await checkServerHello(frame, this.device, this.nonceC, this.device.serverKey);
      if (refusal) {
        this.refusal = refusal;
        ws.close(1000, 'server not verified');
        return;
      }
      this.hello = frame;
      ws.send(JSON.stringify(await clientAuth(this.device.privateKey, this.device, this.nonceC, frame)));
      return;
    }
    if (frame.type !== 'session_established' || frame.session_id !== this.hello.session_id) {
      throw new Error('expected the session_established of this session');
    }
    this.established(ws, frame);
  }

  established(ws, frame) {
    this.phase = 'open';
    this.attempt = 0;
    this.acked = frame.last_acked_seq;
    this.deviceSeq = Math.max(this.deviceSeq, frame.last_device_seq);
    const lost = Math.min(frame.oldest_available_seq, frame.head_seq + 1) - this.cursor - 1;
    if (lost > 0) {
      this.handlers.onNotice?.(`${lost} event${lost === 1 ? ' was' : 's were'} older than the server keeps `
        + 'and can no longer be fetched.');
    }
    this.setState('online', 'Connected');
    this.handlers.onEstablished?.(frame);
    for (const waiter of this.openWaiters.splice(0)) {
      waiter.resolve(ws);
    }
    this.needCatchUp = true;
    this.pump();
  }

  // --- closing and coming back ----------------------------------------------------------------

  closed(ws, code) {
    if (ws !== this.ws) {
      return;
    }
    const wasOpen = this.phase === 'open';
    this.dropConnection(ws);
    if (!this.running) {
      return;
    }
    const error = this.lastError?.code;
    if (this.refusal) {
      this.stop(this.refusal, 'refused');
    } else if (code === 4003) {
      this.stop(describeClose(code), 'removed');
    } else if (code === 4409) {
      this.stop(describeClose(code), 'replaced');
    } else if (error === 'authentication_failed' || error === 'unsupported_protocol_version') {
      this.stop(describeErrorFrame(this.lastError), 'removed');
    } else if (code === 4001) {
      this.connect(); // the session reached its end of life: handshake again at once
    } else if (code === 4029 || error === 'rate_limited') {
      this.retry(describeClose(4029), 10000);
    } else if (code === 1013) {
      this.retry(describeClose(code), 2000);
    } else {
      const text = error && !wasOpen ? describeErrorFrame(this.lastError) : describeClose(code);
      this.retry(text, code === 1001 ? 1000 : 0);
    }
  }

  /** Forgets a connection that ended: its pending requests fail, a send waits for the next one. */
  dropConnection(ws) {
    if (this.ws !== ws) {
      return;
    }
    this.ws = null;
    this.phase = 'closed';
    clearTimeout(this.ackTimer);
    this.replayWaiter?.reject(Object.assign(new Error('the connection closed'), { code: 'closed' }));
    for (const settle of this.outcomes.values()) {
      settle({ type: 'closed' });
    }
  }

  /** Waits (exponential back-off, equal jitter, at least {@code minimumMs} and any retry hint), then connects. */
  retry(text, minimumMs) {
    if (!navigator.onLine) {
      this.setState('offline', 'No network. This page connects again as soon as the network is back.');
      return;
    }
    this.attempt += 1;
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.attempt - 1, 10));
    const hint = Number(this.lastError?.retry_after_ms) || 0;
    const delay = Math.max(base / 2 + Math.random() * (base / 2), minimumMs, hint);
    this.retryAt = Date.now() + delay;
    this.setState('waiting', `${text} Trying again in ${Math.ceil(delay / 1000)} s.`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** The network, or the page, is back: connect now instead of waiting out the back-off. */
  wake() {
    if (this.running && !this.ws && this.state !== 'stopped') {
      this.connect();
    }
  }

  networkLost() {
    if (!this.running) {
      return;
    }
    const ws = this.ws;
    if (ws) {
      this.dropConnection(ws); // without a network the close handshake may never finish
      ws.close(1000, 'offline');
    }
    clearTimeout(this.retryTimer);
    this.setState('offline', 'No network. This page connects again as soon as the network is back.');
  }

  visibilityChanged() {
    if (document.visibilityState === 'hidden') {
      this.hiddenAt = Date.now();
      this.ackNow(this.ws);
      return;
    }
    const hiddenFor = this.hiddenAt ? Date.now() - this.hiddenAt : 0;
    this.hiddenAt = null;
    if (!this.ws) {
      this.wake();
    } else if (this.phase === 'open' && hiddenFor > HIDDEN_CHECK_MS) {
      // A closed lid may have left a dead connection behind: a replay both checks it and catches up.
      this.needCatchUp = true;
      this.pump();
    }
  }

  leave() {
    const ws = this.ws;
    if (ws) {
      this.ackNow(ws);
      this.dropConnection(ws);
      ws.close(1000, 'page closed');
    }
  }

  // --- receiving: catch-up, live events, acks -------------------------------------------------

  /** The one worker that hands events to onEvent, in seq order, each once. */
  async pump() {
    if (this.pumping) {
      return;
    }
    this.pumping = true;
    const ws = this.ws;
    try {
      let gapReplayed = false;
      while (ws && ws === this.ws && this.phase === 'open') {
        if (this.needCatchUp) {
          this.needCatchUp = false;
          await this.catchUp(ws);
          gapReplayed = true;
          continue;
        }
        const event = this.live.shift();
        if (!event) {
          break;
        }
        if (event.seq <= this.cursor) {
          continue; // delivery is at least once
        }
        if (event.seq > this.cursor + 1 && !gapReplayed) {
          this.live.unshift(event); // a gap: the log has what is missing
          this.needCatchUp = true;
          continue;
        }
        gapReplayed = false;
        await this.deliver(event);
        await this.advance(event.seq);
        this.scheduleAck(ws);
      }
    } catch (e) {
      if (e.code === 'rate_limited') {
        this.needCatchUp = true;
        setTimeout(() => this.pump(), 1000);
      } else if (e.code !== 'closed' && ws === this.ws) {
        ws.close(1000, 'replay failed'); // most likely a dead connection: connect again
      }
    } finally {
      this.pumping = false;
    }
    if (this.ws && this.ws !== ws) {
      this.pump(); // a new connection came up meanwhile
    }
  }

  async catchUp(ws) {
    this.handlers.onCatchUp?.({ running: true });
    let count = 0;
    let token = null;
    do {
      const page = await this.replay(ws, token ? { continuation_token: token } : { after_seq: this.cursor });
      let position = this.cursor;
      for (const event of page.events ?? []) {
        if (event.seq > position) {
          if (await this.deliver(event)) {
            count += 1;
          }
          position = event.seq;
        }
      }
      // through_seq covers events skipped as expired or deleted too
      await this.advance(Math.max(position, page.through_seq ?? 0));
      this.ackNow(ws);
      token = page.has_more ? page.continuation_token : null;
    } while (token);
    this.handlers.onCatchUp?.({ running: false, count });
  }

  replay(ws, params) {
    const requestId = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(Object.assign(new Error('no replay answer'), { code: 'timeout' })),
        REPLAY_TIMEOUT_MS);
      const done = (settle) => (value) => {
        clearTimeout(timer);
        this.replayWaiter = null;
        settle(value);
      };
      this.replayWaiter = { requestId, resolve: done(resolve), reject: done(reject) };
      ws.send(JSON.stringify({ type: 'replay_request', request_id: requestId, limit: REPLAY_LIMIT, ...params }));
    });
  }

  /** Hands one event to onEvent; true when it was new to this browser. */
  async deliver(event) {
    try {
      return (await this.handlers.onEvent(event)) !== false;
    } catch (e) {
      this.handlers.onNotice?.(`An event (#${event.seq}) could not be shown: ${e.message}`);
      return true;
    }
  }

  /** Everything up to {@code seq} is processed: the cursor moves there, in memory and in IndexedDB. */
  async advance(seq) {
    if (seq > this.cursor) {
      this.cursor = seq;
      await kv.set('cursor', seq);
    }
  }

  scheduleAck(ws) {
    clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(() => this.ackNow(ws), ACK_DELAY_MS);
  }

  /** Acknowledges every seq up to the cursor (cumulative), when there is anything new. */
  ackNow(ws) {
    if (ws && ws === this.ws && this.phase === 'open' && this.cursor > this.acked) {
      ws.send(JSON.stringify({ type: 'ack', seq: this.cursor }));
      this.acked = this.cursor;
    }
  }

  // --- sending --------------------------------------------------------------------------------

  /**
   * Sends one event (its payload sealed already), one at a time and in order; resolves with its
   * event_ack. Waits for the connection; resends after a reconnect (a stored event answers
   * duplicate); a rate_limited or backpressure rejection is sent again after retry_after_ms under
   * a new device_seq (PROTOCOL.md §5.3). Other rejections throw a SendError.
   */
  send(streamId, eventType, sealed) {
    const result = this.sendChain.then(() => this.sendOne(streamId, eventType, sealed));
    this.sendChain = result.catch(() => undefined);
    return result;
  }

  async sendOne(streamId, eventType, sealed) {
    const payload = toBase64Url(sealed);
    let frame = await this.newFrame(streamId, eventType, payload);
    for (let attempt = 0; ; attempt++) {
      const ws = await this.whenOpen();
      const outcome = await this.exchange(ws, frame);
      if (outcome.type === 'event_ack') {
        await this.ownAck(outcome);
        return outcome;
      }
      if (attempt >= SEND_RETRIES) {
        throw new SendError(outcome.code ?? 'unavailable', outcome.message);
      }
      if (outcome.type === 'closed') {
        continue; // the same frame again on the next connection
      }
      if (outcome.type === 'timeout') {
        ws.close(1000, 'no answer');
        continue;
      }
      const wait = (outcome.retry_after_ms ?? 1000) + Math.random() * 250;
      if (outcome.code === 'rate_limited' || outcome.code === 'backpressure') {
        await sleep(wait);
        frame = await this.newFrame(streamId, eventType, payload);
      } else if (outcome.code === 'unavailable') {
        await sleep(wait); // it may be stored already: the same frame answers duplicate then
      } else {
        throw new SendError(outcome.code, outcome.message);
      }
    }
  }

  async newFrame(streamId, eventType, payload) {
    this.deviceSeq += 1;
    await kv.set('deviceSeq', this.deviceSeq); // saved before sending: a reload never reuses one
    return { type: 'event', event_id: uuidV7(), device_seq: this.deviceSeq, stream_id: streamId,
      event_type: eventType, encrypted_payload: payload };
  }

  whenOpen() {
    if (this.ws && this.phase === 'open') {
      return Promise.resolve(this.ws);
    }
    if (!this.running) {
      return Promise.reject(new SendError('stopped'));
    }
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      this.openWaiters.push(waiter);
      setTimeout(() => {
        const i = this.openWaiters.indexOf(waiter);
        if (i >= 0) {
          this.openWaiters.splice(i, 1);
          reject(new SendError('not_connected'));
        }
      }, OPEN_WAIT_MS);
    });
  }

  exchange(ws, frame) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ type: 'timeout' }), OUTCOME_TIMEOUT_MS);
      const settle = (outcome) => {
        clearTimeout(timer);
        this.outcomes.delete(frame.event_id);
        resolve(outcome);
      };
      this.outcomes.set(frame.event_id, settle);
      ws.send(JSON.stringify(frame));
    });
  }

  /** Our own stored event: the cursor moves over it when it is the next seq. */
  async ownAck(ack) {
    if (ack.seq === this.cursor + 1 && !this.pumping) {
      await this.advance(ack.seq);
      this.scheduleAck(this.ws);
    }
  }
}
