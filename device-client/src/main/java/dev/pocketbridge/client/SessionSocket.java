package dev.pocketbridge.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * One {@link DeviceSession}'s JDK WebSocket: what it receives goes to its {@link SessionListener};
 * what the session sends is written one frame at a time (the JDK WebSocket allows one outstanding
 * send), each awaited for up to {@link DeviceSession#REQUEST_TIMEOUT}. It also carries a
 * {@link ClientHandshake}'s frames to their end.
 */
final class SessionSocket {

    private static final System.Logger LOG = System.getLogger(SessionSocket.class.getName());
    /** After an {@code error} frame the server closes at once; wait this long to learn the close code. */
    private static final Duration CLOSE_AFTER_ERROR_WAIT = Duration.ofSeconds(3);

    private final WebSocket webSocket;
    private final SessionListener received;
    private final Object sendLock = new Object();

    private SessionSocket(WebSocket webSocket, SessionListener received) {
        this.webSocket = webSocket;
        this.received = received;
    }

    /**
     * Opens the WebSocket to {@code uri} through {@code http}.
     *
     * @throws HandshakeException with {@link HandshakeException#CONNECT_FAILED} when it cannot connect
     */
    static SessionSocket open(HttpClient http, URI uri, Duration timeout) {
        SessionListener received = new SessionListener();
        try {
            WebSocket webSocket = http.newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(uri, received)
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new SessionSocket(webSocket, received);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HandshakeException(HandshakeException.CONNECT_FAILED, "interrupted", HandshakeException.NOT_CLOSED,
                    null, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new HandshakeException(HandshakeException.CONNECT_FAILED, uri + ": " + cause,
                    HandshakeException.NOT_CLOSED, null, cause);
        }
    }

    SessionListener received() {
        return received;
    }

    /**
     * Sends {@code handshake}'s frames and hands it the server's until the session is established,
     * by {@code deadline} ({@link System#nanoTime()}).
     *
     * @throws HandshakeException when the server or the client ends it, or the deadline passes
     */
    ClientHandshake.Established handshake(ClientHandshake handshake, long deadline) {
        sendText(FrameCodec.encode(handshake.hello()));
        while (true) {
            String awaited = handshake.awaiting().getSimpleName();
            ServerFrame frame = received.take(any -> true, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (frame == null) {
                if (received.isClosed()) {
                    throw new HandshakeException(HandshakeException.CLOSED, "while waiting for " + awaited,
                            received.closeCode(), received.closeReason(), null);
                }
                throw new HandshakeException(HandshakeException.TIMEOUT, "no " + awaited + " in time",
                        HandshakeException.NOT_CLOSED, null, null);
            }
            switch (handshake.receive(frame)) {
                case ClientHandshake.Reply(ClientFrame reply) -> sendText(FrameCodec.encode(reply));
                case ClientHandshake.ServerError(ServerFrame.Error error) -> {
                    int code = received.awaitClose(CLOSE_AFTER_ERROR_WAIT);
                    throw new HandshakeException(error.code(), error.message(), code, received.closeReason(), null);
                }
                case ClientHandshake.Refused(String code, String message) -> {
                    closeOutput(CloseCodes.POLICY_VIOLATION, code);
                    throw new HandshakeException(code, message, HandshakeException.NOT_CLOSED, null, null);
                }
                case ClientHandshake.Established established -> {
                    return established;
                }
            }
        }
    }

    /**
     * Sends one text frame and waits until it is written.
     *
     * @throws SessionClosedException when the connection is gone
     */
    void sendText(String text) {
        synchronized (sendLock) {
            try {
                webSocket.sendText(text, true).get(DeviceSession.REQUEST_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new SessionClosedException(received.isClosed() ? received.closeCode() : DeviceSession.ABNORMAL_CLOSURE,
                        "send failed: " + (e instanceof ExecutionException ? e.getCause() : e));
            }
        }
    }

    /**
     * Sends a close frame, unless one was sent already; the connection ends when the server answers.
     * Never fails: a close frame that cannot be sent is only logged (the caller aborts or reports).
     */
    void closeOutput(int code, String reason) {
        synchronized (sendLock) {
            try {
                if (!webSocket.isOutputClosed()) {
                    received.closeSent(code);
                    webSocket.sendClose(code, reason).get(DeviceSession.REQUEST_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "close frame not sent", e);
            }
        }
    }

    /** Drops the connection at once, without a close handshake. */
    void abort() {
        webSocket.abort();
        received.markClosed(DeviceSession.ABNORMAL_CLOSURE, "aborted by client");
    }
}
