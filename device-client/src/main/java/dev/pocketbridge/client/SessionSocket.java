package dev.pocketbridge.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@link DeviceSession}'s JDK WebSocket: what it receives goes to its {@link SessionListener};
 * what the session sends is written one frame at a time (the JDK WebSocket allows one outstanding
 * send), each awaited for up to {@link DeviceSession#REQUEST_TIMEOUT}.
 */
final class SessionSocket {

    private static final System.Logger LOG = System.getLogger(SessionSocket.class.getName());

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
