package dev.pocketbridge.client.files;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.pocketbridge.common.codec.Json;
import tools.jackson.core.JacksonException;

/**
 * One chunk of a file as the plaintext of a {@code file} event (docs/content-format.md): a 4-byte
 * unsigned big-endian header length, the header as UTF-8 JSON, then this chunk's bytes.
 */
public record FileChunk(FileHeader header, byte[] data) {

    /** Longest header accepted when decoding; a real one is a few hundred bytes. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    public FileChunk {
        if (header == null || data == null) {
            throw new IllegalArgumentException("a chunk needs a header and data");
        }
    }

    /** The event plaintext of this chunk (encrypt it before sending). */
    public byte[] encode() {
        byte[] json = Json.write(new Wire(header.fileId(), header.name(), header.size(), header.sha256(),
                header.index(), header.count(), header.mediaType())).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + json.length + data.length).putInt(json.length).put(json).put(data).array();
    }

    /**
     * Reads the plaintext of a {@code file} event.
     *
     * @throws FileFormatException when the length prefix, the JSON, a member or the index is wrong
     */
    public static FileChunk decode(byte[] plaintext) {
        if (plaintext == null || plaintext.length < 4) {
            throw new FileFormatException("shorter than its 4-byte header length");
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(plaintext).getInt());
        if (length > MAX_HEADER_BYTES || length > plaintext.length - 4) {
            throw new FileFormatException("header length " + length + " does not fit the chunk");
        }
        String json = new String(plaintext, 4, (int) length, StandardCharsets.UTF_8);
        Wire wire;
        try {
            wire = Json.read(json, Wire.class);
        } catch (JacksonException e) {
            throw new FileFormatException("header is not valid JSON of the file format", e);
        }
        if (wire == null) {
            throw new FileFormatException("header is not a JSON object");
        }
        wire.requireAll();
        FileHeader header = new FileHeader(wire.fileId(), wire.name(), wire.size(), wire.sha256(), wire.index(),
                wire.count(), wire.mediaType());
        return new FileChunk(header, Arrays.copyOfRange(plaintext, 4 + (int) length, plaintext.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileChunk other && header.equals(other.header) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FileChunk[" + header + ", " + data.length + " bytes]";
    }

    /** The header as JSON: boxed members, so that a missing one is told from a zero. */
    record Wire(String fileId, String name, Long size, String sha256, Integer index, Integer count, String mediaType) {

        void requireAll() {
            String missing = fileId == null ? "file_id" : name == null ? "name" : size == null ? "size"
                    : sha256 == null ? "sha256" : index == null ? "index" : count == null ? "count" : null;
            if (missing != null) {
                throw new FileFormatException("header lacks " + missing);
            }
        }
    }
}
