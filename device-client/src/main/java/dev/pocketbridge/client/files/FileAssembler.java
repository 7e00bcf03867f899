package dev.pocketbridge.client.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Receives the chunks of {@code file} events (docs/content-format.md) and gives back each file
 * once it holds all of its chunks and the file's length and SHA-256 check out. Chunks are kept
 * by {@code file_id} in a spool directory, one file per chunk, so a file may arrive across
 * reconnects, replays and restarts of the receiver (a chunk is on disk before {@link #accept}
 * returns, so the caller may acknowledge its event then). A chunk index already held is ignored;
 * a chunk whose header is not valid, or disagrees with the file's earlier chunks, is reported
 * and ignored; a file that fails the check is reported as corrupt and discarded.
 * Not thread-safe.
 */
public final class FileAssembler {

    /** What {@link #accept} made of a chunk. */
    public sealed interface Outcome permits Invalid, Duplicate, Progress, Complete, Corrupt {
    }

    /** The chunk was not valid ({@code reason}) and was ignored. */
    public record Invalid(String reason) implements Outcome {
    }

    /** The chunk was held already (or its file was complete already) and was ignored. */
    public record Duplicate(FileHeader header) implements Outcome {
    }

    /** The chunk was kept: {@code held} of the file's {@code header.count()} chunks are held now. */
    public record Progress(FileHeader header, int held) implements Outcome {
    }

    /** The file is whole and verified, at {@code content} in the spool: {@link #saveInto} or {@link #discard} it. */
    public record Complete(FileHeader header, Path content) implements Outcome {
    }

    /** The file's chunks did not add up to its size or SHA-256 ({@code reason}); it was discarded. */
    public record Corrupt(FileHeader header, String reason) implements Outcome {
    }

    private static final String HEADER = "header";
    private static final String PART = ".part";

    private final Path spool;
    private final Map<String, Partial> partials = new HashMap<>();
    private final Set<String> completed = new HashSet<>();

    /** {@code spool}: where chunks wait for the rest of their file (created when needed; private). */
    public FileAssembler(Path spool) {
        this.spool = spool.toAbsolutePath();
    }

    /** Takes the plaintext of one {@code file} event. */
    public Outcome accept(byte[] plaintext) throws IOException {
        FileChunk chunk;
        try {
            chunk = FileChunk.decode(plaintext);
        } catch (FileFormatException e) {
            return new Invalid(e.getMessage());
        }
        return accept(chunk);
    }

    /** Takes one decoded chunk. */
    public Outcome accept(FileChunk chunk) throws IOException {
        FileHeader header = chunk.header();
        if (completed.contains(header.fileId())) {
            return new Duplicate(header);
        }
        Partial partial = partials.get(header.fileId());
        if (partial == null) {
            partial = open(header);
            partials.put(header.fileId(), partial);
        }
        if (!partial.header().sameFileAs(header)) {
            return new Invalid("chunk " + header.index() + " of file " + header.fileId()
                    + " disagrees with its earlier chunks (name, size, sha256, count or media_type)");
        }
        if (partial.held().get(header.index())) {
            return new Duplicate(header);
        }
        Path part = partial.dir().resolve(header.index() + PART);
        Path tmp = partial.dir().resolve(header.index() + PART + ".tmp");
        Files.write(tmp, chunk.data());
        Files.move(tmp, part, StandardCopyOption.REPLACE_EXISTING);
        partial.held().set(header.index());
        int held = partial.held().cardinality();
        if (held < header.count()) {
            return new Progress(header, held);
        }
        partials.remove(header.fileId());
        completed.add(header.fileId());
        return assemble(partial);
    }

    /**
     * Moves a complete file into {@code dir} under its safe base name ({@link FileNames#safeName}),
     * numbered when that name is taken; returns where it went.
     */
    public Path saveInto(Path dir, Complete complete) throws IOException {
        Files.createDirectories(dir);
        Path target = FileNames.reserve(dir, FileNames.safeName(complete.header().name(), complete.header().fileId()));
        Files.move(complete.content(), target, StandardCopyOption.REPLACE_EXISTING);
        deleteTree(complete.content().getParent());
        return target;
    }

    /** Deletes a complete file from the spool without saving it. */
    public void discard(Complete complete) throws IOException {
        deleteTree(complete.content().getParent());
    }

    /** Chunks held of each unfinished file, by {@code file_id} (loaded so far in this run). */
    public Map<String, Integer> pending() {
        Map<String, Integer> pending = new HashMap<>();
        partials.forEach((id, p) -> pending.put(id, p.held().cardinality()));
        return pending;
    }

    private Partial open(FileHeader header) throws IOException {
        Path dir = spool.resolve(key(header.fileId()));
        if (Files.isDirectory(dir)) {
            try {
                FileHeader stored = FileChunk.decode(Files.readAllBytes(dir.resolve(HEADER))).header();
                BitSet held = new BitSet();
                try (Stream<Path> files = Files.list(dir)) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(PART))
                            .map(n -> n.substring(0, n.length() - PART.length()))
                            .filter(n -> n.chars().allMatch(Character::isDigit) && !n.isEmpty() && n.length() < 10)
                            .mapToInt(Integer::parseInt).filter(i -> i < stored.count()).forEach(held::set);
                }
                return new Partial(stored, dir, held);
            } catch (IOException | FileFormatException e) {
                deleteTree(dir); // unreadable leftovers of an earlier run: start again
            }
        }
        createPrivateDirectories(dir);
        // the file's header, as chunk 0 without data: read back with FileChunk.decode after a restart
        Files.write(dir.resolve(HEADER), new FileChunk(header.withIndex(0), new byte[0]).encode());
        return new Partial(header.withIndex(0), dir, new BitSet());
    }

    private Outcome assemble(Partial partial) throws IOException {
        FileHeader header = partial.header();
        Path content = partial.dir().resolve("content");
        MessageDigest digest = FileChunks.sha256();
        long length = 0;
        try (OutputStream out = Files.newOutputStream(content)) {
            for (int i = 0; i < header.count(); i++) {
                try (InputStream in = Files.newInputStream(partial.dir().resolve(i + PART))) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = in.read(buffer)) > 0;) {
                        digest.update(buffer, 0, n);
                        out.write(buffer, 0, n);
                        length += n;
                    }
                }
            }
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        String problem = length != header.size() ? "its chunks hold " + length + " bytes, not " + header.size()
                : !sha256.equals(header.sha256()) ? "its SHA-256 is " + sha256 + ", not " + header.sha256() : null;
        if (problem != null) {
            deleteTree(partial.dir());
            return new Corrupt(header, problem);
        }
        for (int i = 0; i < header.count(); i++) {
            Files.deleteIfExists(partial.dir().resolve(i + PART));
        }
        return new Complete(header, content);
    }

    /** The spool directory of a file: a digest of its id, whatever characters the id has. */
    private static String key(String fileId) {
        return HexFormat.of().formatHex(FileChunks.sha256().digest(fileId.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Deletes {@code dir} and what it holds, and the spool directory when nothing is left in it. */
    private void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        boolean empty;
        try (Stream<Path> left = Files.list(spool)) {
            empty = left.findAny().isEmpty();
        }
        if (empty) {
            Files.deleteIfExists(spool);
        }
    }

    private record Partial(FileHeader header, Path dir, BitSet held) {
    }
}
