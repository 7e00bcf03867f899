package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.files.FileChunks;
import dev.pocketbridge.common.protocol.ServerFrame;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "send",
        description = {"Send text or a file, end-to-end encrypted, and wait until the server has stored it.",
            "While the server is restarting, busy or unreachable, it tries to connect again for up to 60 s.",
            "A file goes as one or more chunks of up to 512 KiB (docs/content-format.md), each acknowledged in turn,"
                    + " with its progress on standard error.",
            "Commands of one device take turns: while another send of this state file runs, it waits (up to 60 s);"
                    + " while a listen of it runs, it fails at once."})
final class SendCommand extends CliCommand {

    static final String TEXT = "text";
    static final String TEXT_STREAM = "clipboard";

    @ArgGroup(exclusive = true, multiplicity = "1")
    Content content;

    @Option(names = "--stream", paramLabel = "STREAM",
            description = "the stream (default: " + TEXT_STREAM + " for text, " + FileChunks.DEFAULT_STREAM + " for a file)")
    String stream;

    @Option(names = "--media-type", paramLabel = "TYPE",
            description = "a file's MIME type (default: guessed from its name, else none)")
    String mediaType;

    /** What to send: text or a file. */
    static final class Content {

        @Option(names = "--text", required = true, paramLabel = "TEXT", description = "send this text (event type text)")
        String text;

        @Option(names = "--file", required = true, paramLabel = "PATH", description = "send this file (event type file)")
        Path file;
    }

    @Override
    public Integer call() throws IOException {
        FileChunks chunks = content.file == null ? null : FileChunks.of(content.file, mediaType());
        try (DeviceLock lock = lockDevice("send", Reconnecting.SEND_PATIENCE)) {
            CliState current = loadState();
            try (DeviceSession session = connect(current, Reconnecting.SEND_PATIENCE)) {
                EventSender sender = new EventSender(session, current, stateFile());
                return chunks == null ? sendText(sender) : sendFile(sender, chunks);
            }
        }
    }

    private int sendText(EventSender sender) throws IOException {
        String to = stream == null ? TEXT_STREAM : stream;
        ServerFrame outcome = sender.send(to, TEXT, content.text.getBytes(StandardCharsets.UTF_8));
        if (outcome instanceof ServerFrame.EventAck ack) {
            context().out().println("seq " + ack.seq() + " (stream " + to + " #" + ack.streamSeq() + ", " + ack.status()
                    + (ack.conflict() ? ", conflict" : "") + ")");
            return Main.EXIT_OK;
        }
        context().err().println("rejected: " + EventSender.describe((ServerFrame.EventRejected) outcome));
        return Main.EXIT_FAILED;
    }

    private int sendFile(EventSender sender, FileChunks chunks) throws IOException {
        String to = stream == null ? FileChunks.DEFAULT_STREAM : stream;
        String name = chunks.header().name();
        long size = chunks.header().size();
        PrintStream err = context().err();
        Progress progress = new Progress(err, context().errIsTerminal(), "sending " + name, chunks.count(), size);
        long firstSeq = 0;
        long lastSeq = 0;
        long sent = 0;
        for (int i = 0; i < chunks.count(); i++) {
            ServerFrame outcome = sender.send(to, FileChunks.EVENT_TYPE, chunks.chunk(i).encode());
            if (!(outcome instanceof ServerFrame.EventAck ack)) {
                progress.finish();
                err.println("rejected: chunk " + (i + 1) + " of " + chunks.count() + " of " + name + ": "
                        + EventSender.describe((ServerFrame.EventRejected) outcome) + "; the file is incomplete, send it again");
                return Main.EXIT_FAILED;
            }
            firstSeq = i == 0 ? ack.seq() : firstSeq;
            lastSeq = ack.seq();
            sent += chunks.dataBytes(i);
            progress.update(i + 1, sent);
        }
        progress.finish();
        context().out().println("sent " + name + " (" + Progress.bytes(size) + " in " + chunks.count()
                + (chunks.count() == 1 ? " chunk" : " chunks") + ", stream " + to + ", seq "
                + (firstSeq == lastSeq ? firstSeq : firstSeq + " to " + lastSeq) + "), file_id " + chunks.header().fileId());
        return Main.EXIT_OK;
    }

    private String mediaType() {
        if (mediaType != null) {
            return mediaType;
        }
        try {
            return Files.probeContentType(content.file);
        } catch (IOException e) {
            return null;
        }
    }
}
