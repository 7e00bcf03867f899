package dev.pocketbridge.client.files;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The header of one chunk of a {@code file} event (docs/content-format.md): the file's random
 * {@code file_id}, its base {@code name}, total {@code size} in bytes, lowercase hex
 * {@code sha256}, this chunk's 0-based {@code index} of {@code count}, and an optional
 * {@code media_type} (null when absent).
 */
public record FileHeader(String fileId, String name, long size, String sha256, int index, int count,
        String mediaType) {

    public FileHeader {
        if (fileId == null || fileId.isBlank()) {
            throw new FileFormatException("file_id is missing");
        }
        if (name == null) {
            throw new FileFormatException("name is missing");
        }
        if (size < 0) {
            throw new FileFormatException("size is negative");
        }
        if (sha256 == null || sha256.length() != 64 || !sha256.chars().allMatch(HexFormat::isHexDigit)) {
            throw new FileFormatException("sha256 is not 64 hex digits");
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (count < 1) {
            throw new FileFormatException("count is below 1");
        }
        if (index < 0 || index >= count) {
            throw new FileFormatException("index " + index + " is not below count " + count);
        }
    }

    /** The same header for chunk {@code i}. */
    public FileHeader withIndex(int i) {
        return new FileHeader(fileId, name, size, sha256, i, count, mediaType);
    }

    /** True when {@code other} describes the same file (every member but the index equal). */
    public boolean sameFileAs(FileHeader other) {
        return fileId.equals(other.fileId) && name.equals(other.name) && size == other.size
                && sha256.equals(other.sha256) && count == other.count && Objects.equals(mediaType, other.mediaType);
    }
}
