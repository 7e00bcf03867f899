package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.pocketbridge.client.crypto.CryptoException;
import dev.pocketbridge.client.files.FileAssembler;
import dev.pocketbridge.client.files.FileHeader;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * {@code listen --save-dir DIR}: hands each {@code file} event to a {@link FileAssembler} whose
 * chunks wait in {@code DIR/.pocketbridge-partial} (so a file may arrive across runs), shows the
 * progress of a file of several chunks on standard error, and says on standard output where each
 * verified file was saved. Chunks that cannot be read and corrupt files are reported on standard
 * error and dropped.
 */
final class FileReceiver {

    static final String SPOOL = ".pocketbridge-partial";

    private final Path dir;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final FileAssembler assembler;
    private final Map<String, Progress> progress = new HashMap<>();

    FileReceiver(Path dir, PrintStream out, PrintStream err, boolean terminal) {
        this.dir = dir;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.assembler = new FileAssembler(dir.resolve(SPOOL));
    }

    /** {@code line}: how the event is introduced ({@link ListenCommand#prefix}). */
    void accept(String line, ServerFrame.DeliveredEvent event, byte[] contentKey) throws IOException {
        byte[] plaintext;
        try {
            plaintext = ListenCommand.decrypt(event, contentKey);
        } catch (CryptoException e) {
            err.println(line + ": <cannot decrypt: " + e.getMessage() + ">");
            return;
        }
        switch (assembler.accept(plaintext)) {
            case FileAssembler.Invalid invalid -> err.println(line + ": file chunk ignored: " + invalid.reason());
            case FileAssembler.Duplicate duplicate -> {
                // a chunk held already: nothing new
            }
            case FileAssembler.Progress step -> progress(step.header()).update(step.held(), heldBytes(step));
            case FileAssembler.Corrupt corrupt -> {
                done(corrupt.header());
                err.println(line + ": file " + corrupt.header().name() + " is corrupt (" + corrupt.reason()
                        + "); discarded");
            }
            case FileAssembler.Complete complete -> {
                FileHeader header = complete.header();
                if (header.count() > 1) {
                    progress(header).update(header.count(), header.size());
                }
                done(header);
                Path saved = assembler.saveInto(dir, complete);
                out.println(line + ": saved " + header.name() + " (" + Progress.bytes(header.size()) + ") as " + saved);
            }
        }
    }

    private Progress progress(FileHeader header) {
        return progress.computeIfAbsent(header.fileId(),
                id -> new Progress(err, terminal, "receiving " + header.name(), header.count(), header.size()));
    }

    private void done(FileHeader header) {
        Progress bar = progress.remove(header.fileId());
        if (bar != null) {
            bar.finish();
        }
    }

    /** About how many bytes {@code held} chunks are: every chunk but the last is full. */
    private static long heldBytes(FileAssembler.Progress step) {
        long perChunk = (step.header().size() + step.header().count() - 1) / step.header().count();
        return Math.min(step.header().size(), perChunk * step.held());
    }
}
