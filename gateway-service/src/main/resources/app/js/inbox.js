// What this browser makes of the events it receives (live or replayed): decrypted text, files put
// together from their chunks (kept in IndexedDB until complete, so a reload or a lost connection
// loses none) and checked, all recorded in the history that the page shows.

import { fromBase64Url, fromUtf8 } from './bytes.js';
import { ContentError, FILE, TEXT, assemble, parseChunk, safeName, unusedName } from './content.js';
import { CryptoError, eventAad, open } from './crypto.js';
import { chunks, history } from './store.js';

export class Inbox {
  /** {@code changed(entry)} is called for each history entry added or updated. */
  constructor(device, changed) {
    this.device = device;
    this.changed = changed;
  }

  async record(entry) {
    await history.put(entry);
    this.changed(entry);
  }

  /** Handles one delivered event (PROTOCOL.md §3.3 shape); at least once is fine. False when it was known. */
  async receive(event) {
    if (await history.get(event.event_id)) {
      return false; // shown already (this device's own event, or a repeat)
    }
    const base = { id: event.event_id, order: event.seq, seq: event.seq, from: event.device_id,
      direction: event.device_id === this.device.deviceId ? 'sent' : 'received', stream: event.stream_id,
      at: event.created_at };
    let plaintext;
    try {
      plaintext = await open(this.device.contentKey, fromBase64Url(event.encrypted_payload),
        eventAad(event.stream_id, event.event_type));
    } catch (e) {
      const why = e instanceof CryptoError ? 'it was encrypted with another key, or changed on the way'
        : 'its payload is not base64url';
      await this.record({ ...base, kind: 'problem', text: `An event could not be decrypted: ${why}.` });
      return;
    }
    if (event.event_type === TEXT) {
      let text;
      try {
        text = fromUtf8(plaintext);
      } catch {
        await this.record({ ...base, kind: 'problem', text: 'A text event was not valid UTF-8.' });
        return;
      }
      await this.record({ ...base, kind: 'text', text });
    } else if (event.event_type === FILE) {
      return this.chunk(base, plaintext);
    } else {
      await this.record({ ...base, kind: 'other', text: `An event of type “${event.event_type}”, which this page `
        + 'does not show.' });
    }
  }

  async chunk(base, plaintext) {
    let part;
    try {
      part = parseChunk(plaintext);
    } catch (e) {
      await this.record({ ...base, kind: 'problem', text: `A file chunk was ignored: ${e.message}.` });
      return;
    }
    const { header } = part;
    const id = `file:${header.file_id}`;
    if ((await history.get(id))?.kind === 'file') {
      return false; // the whole file is here already
    }
    const held = await chunks.of(header.file_id);
    if (!held.some((c) => c.index === header.index)) {
      const chunk = { fileId: header.file_id, index: header.index, header, data: part.data };
      await chunks.put(chunk);
      held.push(chunk);
    }
    const entry = { ...base, id, name: safeName(header.name, header.file_id), size: header.size,
      count: header.count, held: held.length };
    if (held.length < header.count) {
      await this.record({ ...entry, kind: 'file-progress' });
      return;
    }
    let bytes;
    try {
      bytes = await assemble(held);
    } catch (e) {
      await chunks.remove(header.file_id);
      const why = e instanceof ContentError ? e.message : 'it could not be put together';
      await this.record({ ...entry, kind: 'problem', text: `The file “${entry.name}” is corrupt (${why}) and was `
        + 'discarded.' });
      return;
    }
    const names = new Set((await history.all()).filter((h) => h.kind === 'file' && h.id !== id).map((h) => h.name));
    await this.record({ ...entry, kind: 'file', name: unusedName(entry.name, (n) => names.has(n)),
      sha256: header.sha256, mediaType: header.media_type ?? '',
      blob: new Blob([bytes], { type: header.media_type || 'application/octet-stream' }) });
    await chunks.remove(header.file_id);
    return true;
  }

  /** Records what this device sent and the server stored. */
  async sent(entry) {
    await this.record({ direction: 'sent', from: this.device.deviceId, at: Date.now(), ...entry });
  }
}
