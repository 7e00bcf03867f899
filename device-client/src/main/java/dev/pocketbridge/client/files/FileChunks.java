package dev.pocketbridge.client.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A file cut into {@code file} event chunks (docs/content-format.md): at most
 * {@link #MAX_CHUNK_BYTES} of data each, an empty file as one chunk without data, every chunk with
 * the same random {@code file_id}, base name, size and SHA-256. The chunks are read from the file
 * one at a time, so a large file is never held in memory whole.
 *
 * <pre>{@code
 * FileChunks chunks = FileChunks.of(path, null);
 * for (int i = 0; i < chunks.count(); i++) {
 *     byte[] plaintext = chunks.chunk(i).encode();   // encrypt, send as event_type "file", await its ack
 * }
 * }</pre>
 */
public final class FileChunks {

    /** The {@code event_type} of file chunks. */
    public static final String EVENT_TYPE = "file";
    /** The stream files go to unless the sender names another. */
    public static final String DEFAULT_STREAM = "files";
    /** The most data one chunk carries (512 KiB), so that a sealed chunk stays well under the 1 MiB payload limit. */
    public static final int MAX_CHUNK_BYTES = 512 * 1024;

    private final Path file;
    private final byte[] content;
    private final FileHeader first;
    private final int chunkBytes;

    private FileChunks(Path file, byte[] content, FileHeader first, int chunkBytes) {
        this.file = file;
        this.content = content;
        this.first = first;
        this.chunkBytes = chunkBytes;
    }

    /**
     * The chunks of {@code file} (read once now for its size and SHA-256); {@code mediaType} may be null.
     * The file must not change until every chunk is read.
     */
    public static FileChunks of(Path file, String mediaType) throws IOException {
        return of(file, mediaType, MAX_CHUNK_BYTES);
    }

    static FileChunks of(Path file, String mediaType, int chunkBytes) throws IOException {
        checkChunkBytes(chunkBytes);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is not a file");
        }
        MessageDigest digest = sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        Path name = file.getFileName();
        return new FileChunks(file, null, header(name == null ? "" : name.toString(), size, digest.digest(), mediaType,
                chunkBytes), chunkBytes);
    }

    /** The chunks of {@code content} under {@code name}; {@code mediaType} may be null. */
    public static FileChunks of(String name, byte[] content, String mediaType) {
        return of(name, content, mediaType, MAX_CHUNK_BYTES);
    }

    static FileChunks of(String name, byte[] content, String mediaType, int chunkBytes) {
        checkChunkBytes(chunkBytes);
        byte[] copy = content.clone();
        return new FileChunks(null, copy, header(name, copy.length, sha256().digest(copy), mediaType, chunkBytes),
                chunkBytes);
    }

    private static FileHeader header(String name, long size, byte[] sha256, String mediaType, int chunkBytes) {
        long count = Math.max(1, (size + chunkBytes - 1) / chunkBytes);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("file too large: " + size + " bytes");
        }
        return new FileHeader(UUID.randomUUID().toString(), name, size, HexFormat.of().formatHex(sha256), 0,
                (int) count, mediaType);
    }

    private static void checkChunkBytes(int chunkBytes) {
        if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunk size must be 1 to " + MAX_CHUNK_BYTES + " bytes");
        }
    }

    /** The header of chunk 0 (every chunk's header differs only in its index). */
    public FileHeader header() {
        return first;
    }

    public int count() {
        return first.count();
    }

    /** Bytes of data in chunk {@code index}. */
    public int dataBytes(int index) {
        long start = (long) index * chunkBytes;
        return (int) Math.max(0, Math.min(chunkBytes, first.size() - start));
    }

    /**
     * Chunk {@code index}, 0 to {@link #count()} - 1.
     *
     * @throws IOException when the file cannot be read or became shorter than it was
     */
    public FileChunk chunk(int index) throws IOException {
        if (index < 0 || index >= count()) {
            throw new IndexOutOfBoundsException("chunk " + index + " of " + count());
        }
        long start = (long) index * chunkBytes;
        int length = dataBytes(index);
        byte[] data;
        if (content != null) {
            data = Arrays.copyOfRange(content, (int) start, (int) start + length);
        } else {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, start + buffer.position()) < 0) {
                        throw new IOException(file + " became shorter while it was being sent");
                    }
                }
            }
            data = buffer.array();
        }
        return new FileChunk(first.withIndex(index), data);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
