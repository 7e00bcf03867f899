package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.pocketbridge.client.AwaitTimeoutException;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.SessionClosedException;
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
            "A lost connection (the server restarting, busy or unreachable) is made again, during a replay too, and"
                    + " what was stored meanwhile is replayed; it gives up after 10 minutes of trying, or when the device"
                    + " was removed.",
            "With --save-dir, received files are written there once all their chunks are in and their SHA-256"
                    + " checks out (a name already taken gets (1), (2), ...).",
            "Commands of one device take turns: while a send of this state file runs, it waits (up to 10 minutes);"
                    + " while another listen of it runs, it fails at once."})
final class ListenCommand extends CliCommand {

    private static final Duration POLL = Duration.ofSeconds(1);

    @Option(names = "--save-dir", paramLabel = "DIR", description = "write received files into DIR")
    Path saveDir;

    private FileReceiver files;
    private PrintStream out;
    /** How long a replay page may take before the connection is taken for lost (tests shorten it). */
    Duration replayTimeout = DeviceSession.REQUEST_TIMEOUT;
    /** The newest {@code seq} handled (printed or saved); acked too, unless the connection was lost first. */
    private long last;

    @Override
    public Integer call() throws IOException {
        try (DeviceLock lock = lockDevice(DeviceLock.LISTEN, Reconnecting.LISTEN_PATIENCE)) {
            CliState current = loadState();
            files = saveDir == null ? null : new FileReceiver(saveDir, context().out(), context().err(),
                    context().errIsTerminal());
            AtomicReference<DeviceSession> open = new AtomicReference<>();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                DeviceSession session = open.get();
                if (session != null) {
                    session.close();
                }
            }, "pocketbridge-close"));
            return listen(current, () -> {
                DeviceSession session = connect(current, Reconnecting.LISTEN_PATIENCE);
                open.set(session);
                return session;
            }, context().out(), context().err());
        }
    }

    /**
     * Replays what the device missed ({@link #catchUp}), then handles live events, until the server closes the
     * session for good. A connection lost at any point, during a replay too, is made again with
     * {@code connect} when {@link Reconnecting#worthReconnecting worth it}, and what was stored
     * meanwhile is replayed from the last event handled; so is one where a replay page does not
     * come within {@link #replayTimeout}.
     *
     * @return the exit code: {@link Main#EXIT_OK} after a normal close, else {@link Main#EXIT_FAILED}
     */
    int listen(CliState current, Supplier<DeviceSession> connect, PrintStream out, PrintStream err)
            throws IOException {
        this.out = out;
        DeviceSession session = connected(connect);
        last = session.established().lastAckedSeq();
        boolean behind = true;
        while (true) {
            try {
                if (behind) {
                    catchUp(session, current);
                    behind = false;
                }
                ServerFrame frame = session.next(POLL);
                if (frame == null) {
                    if (session.isClosed()) {
                        throw new SessionClosedException(session.closeCode(), session.closeReason());
                    }
                    continue;
                }
                if (frame instanceof ServerFrame.DeliveredEvent event) {
                    // a gap: live deliveries were skipped, the log has them; else handleAll skips a
                    // seq already handled (delivery is at least once)
                    if (event.seq() > last + 1) {
                        catchUp(session, current);
                    } else {
                        handleAll(session, current, List.of(event));
                    }
                } else if (frame instanceof ServerFrame.SessionExpiring expiring) {
                    out.println("session expires at " + Instant.ofEpochMilli(expiring.expiresAt()));
                } else if (frame instanceof ServerFrame.Error error) {
                    err.println("server error: " + error.code() + " " + error.message());
                }
                // acks and replay pages of other requests: nothing to show
            } catch (SessionClosedException closed) {
                String line = "connection closed: " + closed.closeCode() + " "
                        + (closed.closeReason() == null ? "" : closed.closeReason());
                if (!Reconnecting.worthReconnecting(closed.closeCode())) {
                    out.println(line);
                    return closed.closeCode() == 1000 ? Main.EXIT_OK : Main.EXIT_FAILED;
                }
                out.println(line + "; connecting again");
                session = connected(connect);
                // what was stored while the connection was down comes from the log
                behind = true;
            } catch (AwaitTimeoutException silent) {
                // A connection can end without the client hearing of it (seen when the gateway was
                // killed during a replay): a replay left unanswered is taken for a lost connection.
                out.println("no replay page within " + replayTimeout.toSeconds() + " s; connecting again");
                session.abort();
                session = connected(connect);
                behind = true;
            }
        }
    }

    /** A new session, announced. */
    private DeviceSession connected(Supplier<DeviceSession> connect) {
        DeviceSession session = connect.get();
        ServerFrame.SessionEstablished established = session.established();
        out.println("connected, session " + established.sessionId() + "; acked through " + established.lastAckedSeq()
                + " of " + established.headSeq());
        return session;
    }

    /**
     * Replays from {@link #last} to the log's end a page at a time, each page handled and acked
     * before the next is asked for: a catch-up of any length holds one page, and one cut short (a
     * lost connection, Ctrl-C) resumes after the last page handled.
     */
    private void catchUp(DeviceSession session, CliState state) throws IOException {
        session.replayPages(last, null, replayTimeout, page -> {
            handleAll(session, state, page.events());
            return true;
        });
    }

    /**
     * Handles the events above {@link #last} (a received file chunk is on disk before this
     * returns), moving it, and acks the newest.
     */
    private void handleAll(DeviceSession session, CliState state, List<ServerFrame.DeliveredEvent> events)
            throws IOException {
        long before = last;
        for (ServerFrame.DeliveredEvent event : events) {
            if (event.seq() <= last) {
                continue;
            }
            if (files != null && FileChunks.EVENT_TYPE.equals(event.eventType())) {
                files.accept(prefix(event, state), event, state.contentKey());
            } else {
                out.println(describe(event, state));
            }
            last = event.seq();
        }
        if (last > before) {
            session.ack(last);
        }
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
