package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.crypto.ContentCipher;
import dev.pocketbridge.client.crypto.CryptoException;
import dev.pocketbridge.client.files.FileChunk;
import dev.pocketbridge.client.files.FileChunks;
import dev.pocketbridge.client.files.FileFormatException;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ServerFrame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "listen",
        description = {"Print the events this device missed, then live ones, decrypted, until Ctrl-C.",
            "A lost connection (the server restarting, busy or unreachable) is made again, and what was stored"
                    + " meanwhile is replayed; it gives up after 10 minutes of trying, or when the device was removed.",
            "With --save-dir, received files are written there once all their chunks are in and their SHA-256"
                    + " checks out (a name already taken gets (1), (2), ...)."})
final class ListenCommand extends CliCommand {

    private static final Duration POLL = Duration.ofSeconds(1);

    @Option(names = "--save-dir", paramLabel = "DIR", description = "write received files into DIR")
    Path saveDir;

    private FileReceiver files;

    @Override
    public Integer call() throws IOException {
        CliState current = loadState();
        PrintStream out = context().out();
        files = saveDir == null ? null : new FileReceiver(saveDir, out, context().err(), context().errIsTerminal());
        AtomicReference<DeviceSession> open = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DeviceSession session = open.get();
            if (session != null) {
                session.close();
            }
        }, "pocketbridge-close"));
        DeviceSession session = connected(current, open, out);
        long last = handleAll(session, current, session.replayAll(null), session.established().lastAckedSeq());
        while (true) {
            ServerFrame frame = session.next(POLL);
            if (frame == null) {
                if (session.isClosed()) {
                    String closed = "connection closed: " + session.closeCode() + " "
                            + (session.closeReason() == null ? "" : session.closeReason());
                    if (!Reconnecting.worthReconnecting(session.closeCode())) {
                        out.println(closed);
                        return session.closeCode() == 1000 ? Main.EXIT_OK : Main.EXIT_FAILED;
                    }
                    out.println(closed + "; connecting again");
                    session = connected(current, open, out);
                    // what was stored while the connection was down comes from the log
                    last = handleAll(session, current, session.replayAll(last), last);
                }
                continue;
            }
            if (frame instanceof ServerFrame.DeliveredEvent event) {
                if (event.seq() > last + 1) {
                    // a gap: live deliveries were skipped, the log has them
                    last = handleAll(session, current, session.replayAll(last), last);
                } else {
                    // handleAll skips a seq already handled (delivery is at least once)
                    last = handleAll(session, current, List.of(event), last);
                }
            } else if (frame instanceof ServerFrame.SessionExpiring expiring) {
                out.println("session expires at " + Instant.ofEpochMilli(expiring.expiresAt()));
            } else if (frame instanceof ServerFrame.Error error) {
                context().err().println("server error: " + error.code() + " " + error.message());
            }
            // acks and replay pages of other requests: nothing to show
        }
    }

    /** A new session, riding out a server that is away or busy ({@link Reconnecting#LISTEN_PATIENCE}), announced. */
    private DeviceSession connected(CliState current, AtomicReference<DeviceSession> open, PrintStream out) {
        DeviceSession session = connect(current, Reconnecting.LISTEN_PATIENCE);
        open.set(session);
        ServerFrame.SessionEstablished established = session.established();
        out.println("connected, session " + established.sessionId() + "; acked through " + established.lastAckedSeq()
                + " of " + established.headSeq());
        return session;
    }

    /**
     * Handles the events above {@code last} (a received file chunk is on disk before this returns),
     * acks the newest, returns the new position.
     */
    private long handleAll(DeviceSession session, CliState state, List<ServerFrame.DeliveredEvent> events, long last)
            throws IOException {
        long position = last;
        for (ServerFrame.DeliveredEvent event : events) {
            if (event.seq() <= position) {
                continue;
            }
            if (files != null && FileChunks.EVENT_TYPE.equals(event.eventType())) {
                files.accept(prefix(event, state), event, state.contentKey());
            } else {
                context().out().println(describe(event, state));
            }
            position = event.seq();
        }
        if (position > last) {
            session.ack(position);
        }
        return position;
    }

    /** One line for an event: text as it is, a file chunk by its header. */
    static String describe(ServerFrame.DeliveredEvent event, CliState state) {
        String what;
        try {
            byte[] plaintext = decrypt(event, state.contentKey());
            if (FileChunks.EVENT_TYPE.equals(event.eventType())) {
                FileChunk chunk = FileChunk.decode(plaintext);
                what = "file " + chunk.header().name() + ", chunk " + (chunk.header().index() + 1) + " of "
                        + chunk.header().count() + " (" + Progress.bytes(chunk.header().size())
                        + "; not saved: listen --save-dir DIR saves files)";
            } else {
                what = new String(plaintext, StandardCharsets.UTF_8);
            }
        } catch (CryptoException e) {
            what = "<cannot decrypt: " + e.getMessage() + ">";
        } catch (FileFormatException e) {
            what = "<not a file chunk: " + e.getMessage() + ">";
        }
        return prefix(event, state) + ": " + what;
    }

    /** {@code [7] notes#2 text from DEVICE at TIME}, with {@code (conflict)} when the event has one. */
    static String prefix(ServerFrame.DeliveredEvent event, CliState state) {
        String from = event.deviceId() != null && event.deviceId().equals(state.identity().deviceId())
                ? "this device" : event.deviceId();
        return "[" + event.seq() + "] " + event.streamId() + "#" + event.streamSeq() + " " + event.eventType()
                + " from " + from + " at " + Instant.ofEpochMilli(event.createdAt()) + (event.conflict() ? " (conflict)" : "");
    }

    /** The plaintext of an event sealed for its stream and type. */
    static byte[] decrypt(ServerFrame.DeliveredEvent event, byte[] contentKey) {
        byte[] sealed = Base64Url.decode(event.encryptedPayload())
                .orElseThrow(() -> new CryptoException("payload is not base64url"));
        return ContentCipher.decrypt(contentKey, sealed, ContentCipher.eventAad(event.streamId(), event.eventType()));
    }
}
