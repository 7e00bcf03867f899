package dev.pocketbridge.client.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.crypto.ContentCipher;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * Sends events one at a time on a session, each sealed under the content key for its stream and
 * type, and waits for each one's outcome. The {@code device_seq} is saved in the state file before
 * the event goes out, so a crash never reuses one. An event refused for a while only
 * ({@code rate_limited}, {@code backpressure}, {@code unavailable} with {@code retry_after_ms}) is
 * sent again as it was, after the time the server asked for, a few times: nothing after it was
 * sent, so its {@code device_seq} is still the next one (PROTOCOL §5.3).
 */
final class EventSender {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> TRANSIENT = Set.of(RejectCode.RATE_LIMITED.wire(), RejectCode.BACKPRESSURE.wire(),
            RejectCode.UNAVAILABLE.wire());
    private static final int ATTEMPTS = 5;
    private static final long MAX_WAIT_MS = 10_000;

    private final DeviceSession session;
    private final Path stateFile;
    private CliState state;

    EventSender(DeviceSession session, CliState state, Path stateFile) {
        this.session = session;
        this.state = state;
        this.stateFile = stateFile;
        session.advanceDeviceSeq(state.lastDeviceSeq());
    }

    /** Sends {@code plaintext} sealed; returns its {@link ServerFrame.EventAck} or {@link ServerFrame.EventRejected}. */
    ServerFrame send(String stream, String eventType, byte[] plaintext) throws IOException {
        byte[] sealed = ContentCipher.encrypt(state.contentKey(), plaintext, ContentCipher.eventAad(stream, eventType));
        ClientFrame.SendEvent event = session.newEvent(stream, eventType, sealed);
        state = state.withLastDeviceSeq(event.deviceSeq());
        state.save(stateFile);
        ServerFrame outcome = session.sendAndAwait(event, TIMEOUT);
        for (int attempt = 1; attempt < ATTEMPTS && outcome instanceof ServerFrame.EventRejected rejected
                && TRANSIENT.contains(rejected.code()) && rejected.retryAfterMs() != null; attempt++) {
            pause(Math.min(MAX_WAIT_MS, Math.max(0, rejected.retryAfterMs())));
            outcome = session.sendAndAwait(event, TIMEOUT);
        }
        return outcome;
    }

    /** One line for a rejection: {@code rate_limited too many events (retry after 40 ms)}. */
    static String describe(ServerFrame.EventRejected rejected) {
        return rejected.code() + " " + (rejected.message() == null ? "" : rejected.message())
                + (rejected.retryAfterMs() == null ? "" : " (retry after " + rejected.retryAfterMs() + " ms)");
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis); // the server's own word on when to send again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to send again", e);
        }
    }
}
