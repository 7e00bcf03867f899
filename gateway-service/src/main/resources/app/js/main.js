// The page: setup (a new account, or joining one with a pairing code), then the device itself:
// connection state, sending text and files, the events received, the user's devices and pairing
// codes for new ones. Every error is shown in words (messages.js).

import { ApiError } from './api.js';
import { utf8 } from './bytes.js';
import { FILE, FILE_STREAM, MAX_FILE_BYTES, TEXT, TEXT_STREAM, fileChunks } from './content.js';
import { eventAad, seal, unsupportedReason } from './crypto.js';
import { Device } from './device.js';
import { Inbox } from './inbox.js';
import { describe, describeRejection } from './messages.js';
import { SendError, Session } from './session.js';
import { clearAll, history } from './store.js';

const MAX_TEXT_BYTES = 1024 * 1024 - 1024;
const DEVICES_REFRESH_MS = 30000;
const $ = (id) => document.getElementById(id);

let device;
let session;
let inbox;
let releaseLock;
const entries = new Map();
const objectUrls = new Map();
const deviceNames = new Map();

// --- small helpers -------------------------------------------------------------------------------

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node[key] = value;
    }
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function showAlert(text, tone = 'bad') {
  $('alert-text').textContent = text;
  $('alert').dataset.tone = tone;
  $('alert').hidden = false;
}

function hideAlert() {
  $('alert').hidden = true;
}

function setStatus(id, text, tone) {
  $(id).textContent = text;
  if (tone) {
    $(id).dataset.tone = tone;
  } else {
    delete $(id).dataset.tone;
  }
}

/** Runs {@code action} with {@code button} disabled; shows what it throws. */
async function busy(button, action, context) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    hideAlert();
    await action();
  } catch (e) {
    console.error(e);
    showAlert(describe(e, context));
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

function formatSize(bytes) {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1024;
    unit += 1;
  } while (value >= 1024 && unit < units.length - 1);
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function formatTime(ms) {
  if (!ms) {
    return '';
  }
  const date = new Date(ms);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

function ago(ms) {
  const seconds = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (seconds < 60) {
    return 'just now';
  }
  if (seconds < 3600) {
    return `${Math.round(seconds / 60)} min ago`;
  }
  if (seconds < 86400) {
    return `${Math.round(seconds / 3600)} h ago`;
  }
  return formatTime(ms);
}

function defaultDeviceName() {
  const brand = navigator.userAgentData?.brands?.find((b) => !/Not.A.Brand|Chromium/i.test(b.brand))?.brand
    ?? (navigator.userAgentData ? 'Chromium' : 'Browser');
  const platform = navigator.userAgentData?.platform;
  return platform ? `${brand} on ${platform}` : brand;
}

// --- connection state ----------------------------------------------------------------------------

function setConnection(state, text) {
  $('connection').dataset.state = state;
  $('connection-text').textContent = text;
  $('reconnect').hidden = !['waiting', 'stopped'].includes(state);
}

function onState({ name, text, kind }) {
  setConnection(name, name === 'online' ? 'Connected' : text);
  if (name === 'stopped' && text) {
    showAlert(kind === 'removed'
      ? `${text} To use this browser again, select “Remove this device…” and set it up anew.` : text);
  }
}

async function reconnect() {
  hideAlert();
  if (!releaseLock) {
    await startSession();
  } else {
    session.reconnect();
  }
}

/** One tab per device: a second tab of the same browser would push the first one off (4409). */
async function startSession() {
  if (!navigator.locks) {
    await session.start();
    return;
  }
  await new Promise((started) => {
    navigator.locks.request('pocketbridge-device', { ifAvailable: true }, async (lock) => {
      if (!lock) {
        setConnection('stopped', 'Open in another tab');
        showAlert('This device is open in another tab or window of this browser. Close it there, then select '
          + '“Reconnect now”.', 'info');
        started();
        return undefined;
      }
      await session.start();
      started();
      return new Promise((release) => {
        releaseLock = release;
      });
    });
  });
}

// --- setup ---------------------------------------------------------------------------------------

const PAIRING_CODE_PROBLEMS = {
  not_found: 'That pairing code is unknown, used already or expired. Create a new one on the other device.',
  404: 'That pairing code is unknown, used already or expired. Create a new one on the other device.',
};

function deviceName(id) {
  const name = $(id).value.trim();
  if (!name) {
    $(id).focus();
    throw new Error('Give this device a name.');
  }
  return name;
}

function showSetup() {
  $('setup').hidden = false;
  $('device').hidden = true;
  setConnection('idle', 'Not set up');
  const name = defaultDeviceName();
  $('register-name').value = name;
  $('join-name').value = name;
  $('register-form').addEventListener('submit', (e) => {
    e.preventDefault();
    busy($('register-button'), async () => {
      device = await Device.registerNewUser(deviceName('register-name'));
      await startDevice();
    });
  });
  $('join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    busy($('join-button'), async () => {
      const code = $('join-code').value;
      if (!code.trim()) {
        $('join-code').focus();
        throw new Error('Type the pairing code shown on your other device.');
      }
      device = await Device.join(code, deviceName('join-name'));
      await startDevice();
    }, PAIRING_CODE_PROBLEMS);
  });
}

// --- the device ----------------------------------------------------------------------------------

async function startDevice() {
  $('setup').hidden = true;
  $('device').hidden = false;
  $('this-device').textContent = `${device.deviceName} (${device.deviceId})`;
  $('this-user').textContent = device.userId;
  inbox = new Inbox(device, (entry) => {
    entries.set(entry.id, entry);
    renderEvents();
  });
  for (const entry of await history.all()) {
    entries.set(entry.id, entry);
  }
  renderEvents();
  session = new Session(device, {
    onState,
    onEvent: (event) => inbox.receive(event),
    onEstablished: () => refreshDevices(),
    onNotice: (text) => showAlert(text, 'info'),
    onCatchUp: ({ running, count }) => setStatus('catchup-status', running ? 'Catching up on missed events…'
      : count > 0 ? `Caught up: ${count} missed event${count === 1 ? '' : 's'}.` : 'Up to date.'),
  });
  await startSession();
  refreshDevices();
  setInterval(() => {
    if (document.visibilityState === 'visible') {
      refreshDevices();
    }
  }, DEVICES_REFRESH_MS);
  $('text-input').focus();
}

function fromLabel(entry) {
  if (entry.from === device.deviceId) {
    return 'This browser';
  }
  return deviceNames.get(entry.from) ?? `Device ${String(entry.from).slice(0, 8)}`;
}

function objectUrl(entry) {
  if (!objectUrls.has(entry.id)) {
    objectUrls.set(entry.id, URL.createObjectURL(entry.blob));
  }
  return objectUrls.get(entry.id);
}

function renderEntry(entry) {
  const meta = element('div', { className: 'meta' },
    `${fromLabel(entry)} · ${formatTime(entry.at)}${entry.stream ? ` · ${entry.stream}` : ''}`);
  const li = element('li', { className: 'event', dataset: { kind: entry.kind, direction: entry.direction ?? '',
    seq: String(entry.seq ?? '') } }, meta);
  if (entry.kind === 'text') {
    const copy = element('button', { type: 'button', className: 'quiet' }, 'Copy');
    copy.setAttribute('aria-label', 'Copy this text');
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(entry.text);
        copy.textContent = 'Copied';
      } catch {
        copy.textContent = 'Copying was not allowed';
      }
    });
    li.append(element('p', { className: 'text' }, entry.text), element('div', { className: 'tools' }, copy));
  } else if (entry.kind === 'file') {
    const link = element('a', { href: objectUrl(entry), download: entry.name, className: 'file-link' }, entry.name);
    const note = entry.direction === 'sent' ? `${formatSize(entry.size)}, sent in ${entry.count} chunk`
      + `${entry.count === 1 ? '' : 's'}` : `${formatSize(entry.size)}, SHA-256 checked`;
    li.append(element('p', { className: 'file' }, link, element('span', { className: 'muted' }, note)));
  } else if (entry.kind === 'file-progress') {
    li.append(element('p', {}, `Receiving “${entry.name}”: ${entry.held} of ${entry.count} chunks`),
      element('progress', { max: entry.count, value: entry.held, ariaLabel: `Chunks of ${entry.name} received` }));
  } else {
    li.append(element('p', { className: 'text' }, entry.text));
  }
  return li;
}

function renderEvents() {
  const sorted = [...entries.values()].sort((a, b) => (b.order ?? 0) - (a.order ?? 0));
  $('events').replaceChildren(...sorted.map(renderEntry));
  $('events-empty').hidden = sorted.length > 0;
}

async function refreshDevices() {
  try {
    const list = await device.devices();
    deviceNames.clear();
    for (const d of list.devices) {
      deviceNames.set(d.device_id, d.device_name);
    }
    const items = list.devices.map((d) => {
      const state = d.is_online ? 'online' : d.last_seen ? `offline, last seen ${ago(d.last_seen)}` : 'offline';
      return element('li', { dataset: { online: String(d.is_online), deviceId: d.device_id } },
        element('span', { className: 'dot', ariaHidden: 'true' }),
        element('span', {}, element('span', { className: 'name' },
          d.device_name + (d.is_current ? ' (this browser)' : '')),
        element('br'), element('span', { className: 'detail' }, `${d.device_type} · ${state}`)));
    });
    if (items.length === 0) {
      items.push(element('li', {}, list.message ?? 'No devices.'));
    }
    $('devices').replaceChildren(...items);
    renderEvents();
  } catch (e) {
    $('devices').replaceChildren(element('li', { className: 'muted' },
      `The device list could not be loaded. ${describe(e)}`));
  }
}

// --- sending -------------------------------------------------------------------------------------

function sendError(e, what) {
  return e instanceof SendError ? `${what} was not sent: ${describeRejection(e.code)}` : describe(e);
}

async function sendText() {
  const text = $('text-input').value;
  if (!text.trim()) {
    setStatus('file-status', '');
    $('text-input').focus();
    showAlert('Type some text to send.', 'info');
    return;
  }
  const bytes = utf8(text);
  if (bytes.length > MAX_TEXT_BYTES) {
    showAlert('That text is too long for one event (1 MiB). Send it as a file instead.');
    return;
  }
  try {
    const sealed = await seal(device.contentKey, bytes, eventAad(TEXT_STREAM, TEXT));
    const ack = await session.send(TEXT_STREAM, TEXT, sealed);
    await inbox.sent({ id: ack.event_id, order: ack.seq, seq: ack.seq, kind: 'text', text, stream: TEXT_STREAM });
    $('text-input').value = '';
  } catch (e) {
    showAlert(sendError(e, 'The text'));
  }
}

async function sendFile() {
  const file = $('file-input').files[0];
  if (!file) {
    showAlert('Choose a file to send first.', 'info');
    $('file-input').focus();
    return;
  }
  if (file.size > MAX_FILE_BYTES) {
    showAlert(`That file is ${formatSize(file.size)}; this page sends files of up to ${formatSize(MAX_FILE_BYTES)}.`);
    return;
  }
  const progress = $('file-progress');
  try {
    const { header, chunks } = await fileChunks(file);
    progress.max = chunks.length;
    progress.value = 0;
    progress.hidden = false;
    setStatus('file-status', `Sending “${header.name}”: 0 of ${chunks.length} chunks acknowledged`);
    let ack;
    for (const [index, chunk] of chunks.entries()) {
      ack = await session.send(FILE_STREAM, FILE, await seal(device.contentKey, chunk, eventAad(FILE_STREAM, FILE)));
      progress.value = index + 1;
      setStatus('file-status', `Sending “${header.name}”: ${index + 1} of ${chunks.length} chunks acknowledged`);
    }
    await inbox.sent({ id: `file:${header.file_id}`, order: ack.seq, seq: ack.seq, kind: 'file', name: header.name,
      size: header.size, count: chunks.length, sha256: header.sha256, blob: file, stream: FILE_STREAM });
    setStatus('file-status', `Sent “${header.name}” (${formatSize(header.size)}).`);
    $('file-input').value = '';
  } catch (e) {
    setStatus('file-status', sendError(e, 'The file'), 'bad');
  } finally {
    progress.hidden = true;
  }
}

// --- pairing and removal -------------------------------------------------------------------------

let pairingTimer;

async function createPairingCode() {
  const { display, expiresAt } = await device.createPairingCode();
  $('pairing').hidden = false;
  $('pairing-code').textContent = display;
  $('pairing-cli').textContent = `pocketbridge-cli join --code ${display} --name NAME`;
  clearInterval(pairingTimer);
  const tick = () => {
    const left = Math.round((expiresAt - Date.now()) / 1000);
    if (left <= 0) {
      clearInterval(pairingTimer);
      $('pairing-expiry').textContent = 'This code has expired. Create a new one.';
      return;
    }
    $('pairing-expiry').textContent = `Works once, for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`
      + ' more.';
  };
  tick();
  pairingTimer = setInterval(tick, 1000);
}

async function forget() {
  if (!confirm('Remove this device from your account and forget it in this browser? Its key is deleted, '
      + 'so it can never sign in again. Your other devices keep everything.')) {
    return;
  }
  try {
    await device.removeSelf();
  } catch (e) {
    // removed, revoked or deleted already: nothing left to remove on the server
    if (!(e instanceof ApiError) || e.status === 0 || e.status >= 500 || e.status === 429) {
      throw e;
    }
  }
  session.stop('This device was removed.');
  releaseLock?.();
  await clearAll();
  location.reload();
}

// --- start ---------------------------------------------------------------------------------------

function wire() {
  $('alert-dismiss').addEventListener('click', hideAlert);
  $('reconnect').addEventListener('click', () => reconnect());
  $('text-form').addEventListener('submit', (e) => {
    e.preventDefault();
    busy($('text-send'), sendText);
  });
  $('text-input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      $('text-form').requestSubmit();
    }
  });
  $('file-form').addEventListener('submit', (e) => {
    e.preventDefault();
    busy($('file-send'), sendFile);
  });
  $('devices-refresh').addEventListener('click', () => busy($('devices-refresh'), refreshDevices));
  $('pair-button').addEventListener('click', () => busy($('pair-button'), createPairingCode));
  $('forget-button').addEventListener('click', () => busy($('forget-button'), forget));
}

async function main() {
  wire();
  const reason = await unsupportedReason();
  if (reason) {
    $('unsupported').hidden = false;
    $('unsupported-text').textContent = reason;
    setConnection('stopped', 'Not available');
    return;
  }
  try {
    device = await Device.load();
  } catch (e) {
    showAlert(`This browser's stored device could not be read. ${describe(e)}`);
    return;
  }
  if (device) {
    await startDevice();
  } else {
    showSetup();
  }
}

main();
