// What is inside encrypted_payload (docs/content-format.md): event_type "text" is UTF-8 text;
// event_type "file" is one chunk of a file: a 4-byte big-endian header length, a UTF-8 JSON header
// and the chunk's bytes. Chunks carry at most 512 KiB of data; the receiver joins them by index and
// checks size and SHA-256 before it offers the file.

import { concat, fromUtf8, utf8 } from './bytes.js';
import { sha256Hex } from './crypto.js';

export const TEXT = 'text';
export const FILE = 'file';
export const TEXT_STREAM = 'clipboard';
export const FILE_STREAM = 'files';
export const CHUNK_BYTES = 512 * 1024;
/** The largest file this page sends: it holds the whole file in memory to hash it. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A chunk that cannot be used; its message is for people. */
export class ContentError extends Error {}

/** {header, chunks}: the header fields common to every chunk and the chunks' plaintexts, in order. */
export async function fileChunks(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const count = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  const common = { file_id: crypto.randomUUID(), name: baseName(file.name) || 'file', size: bytes.length,
    sha256: await sha256Hex(bytes) };
  if (file.type) {
    common.media_type = file.type;
  }
  const out = [];
  for (let index = 0; index < count; index++) {
    const header = utf8(JSON.stringify({ ...common, index, count }));
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, header.length);
    out.push(concat(length, header, bytes.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES)));
  }
  return { header: { ...common, count }, chunks: out };
}

/** {header, data} of a chunk's plaintext; throws {@link ContentError} for a malformed one. */
export function parseChunk(plaintext) {
  if (plaintext.length < 4) {
    throw new ContentError('a file chunk too short for its header');
  }
  const length = new DataView(plaintext.buffer, plaintext.byteOffset, 4).getUint32(0);
  if (length > plaintext.length - 4) {
    throw new ContentError('a file chunk whose header is longer than the chunk');
  }
  let header;
  try {
    header = JSON.parse(fromUtf8(plaintext.subarray(4, 4 + length)));
  } catch {
    throw new ContentError('a file chunk whose header is not JSON');
  }
  const integer = (v, min) => Number.isSafeInteger(v) && v >= min;
  if (header === null || typeof header !== 'object' || typeof header.file_id !== 'string' || !header.file_id
      || typeof header.name !== 'string' || !integer(header.size, 0)
      || typeof header.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(header.sha256)
      || !integer(header.index, 0) || !integer(header.count, 1)) {
    throw new ContentError('a file chunk whose header lacks a field');
  }
  if (header.index >= header.count) {
    throw new ContentError(`a file chunk numbered ${header.index} of only ${header.count}`);
  }
  if (header.media_type !== undefined && typeof header.media_type !== 'string') {
    throw new ContentError('a file chunk whose media type is not text');
  }
  return { header, data: plaintext.slice(4 + length) };
}

/**
 * The whole file of a complete set of chunks ({header, data} by index), checked against the
 * header's size and SHA-256; throws {@link ContentError} when it does not match.
 */
export async function assemble(parts) {
  const first = parts[0].header;
  for (const part of parts) {
    const h = part.header;
    if (h.count !== first.count || h.size !== first.size || h.sha256 !== first.sha256) {
      throw new ContentError('its chunks disagree about the file');
    }
  }
  const ordered = [...parts].sort((a, b) => a.header.index - b.header.index);
  const bytes = concat(...ordered.map((p) => p.data));
  if (bytes.length !== first.size) {
    throw new ContentError(`it has ${bytes.length} bytes where ${first.size} were announced`);
  }
  if (await sha256Hex(bytes) !== first.sha256) {
    throw new ContentError('its SHA-256 does not match');
  }
  return bytes;
}

/** The last path element of a name (no / or \\). */
export function baseName(name) {
  const parts = String(name).split(/[/\\]/);
  return parts[parts.length - 1].trim();
}

/** The name to offer a received file under: its base name, or file-<file_id> for ., .. and empty. */
export function safeName(name, fileId) {
  const base = baseName(name).replace(/[\u0000-\u001f\u007f]/g, '');
  return base === '' || base === '.' || base === '..' ? `file-${fileId}` : base;
}

/** {@code name} or, when {@code taken(name)}, name (1), name (2), … before the extension. */
export function unusedName(name, taken) {
  if (!taken(name)) {
    return name;
  }
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.substring(0, dot) : name;
  const extension = dot > 0 ? name.substring(dot) : '';
  for (let n = 1; ; n++) {
    const candidate = `${stem} (${n})${extension}`;
    if (!taken(candidate)) {
      return candidate;
    }
  }
}
