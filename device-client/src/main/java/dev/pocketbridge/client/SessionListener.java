package dev.pocketbridge.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * What one {@link DeviceSession}'s WebSocket receives: every server frame, in arrival order, into
 * its {@link Inbox} (or to its frame handler while one is set), and how the connection ended. Runs
 * on the WebSocket's thread and only joins fragments ({@link TextAssembler}), decodes and hands
 * on; frames of an unknown type are skipped, a message over {@value #MAX_MESSAGE_CHARS} characters
 * (or bytes, for a binary message: a CBOR replay page) drops the connection.
 */
final class SessionListener implements WebSocket.Listener {

    /** Longest text message accepted: a little over the protocol's 10 MiB frame limit in characters. */
    static final int MAX_MESSAGE_CHARS = 11 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(SessionListener.class.getName());

    private final Inbox inbox = new Inbox();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final TextAssembler assembler = new TextAssembler(MAX_MESSAGE_CHARS);
    private final BinaryAssembler binaryAssembler = new BinaryAssembler(MAX_MESSAGE_CHARS);
    private volatile String closeReason;
    /** The code of the close frame this client sent; -1 while it sent none. */
    private volatile int closeSent = -1;
    /** Takes every frame instead of the inbox while set; guarded by {@code this}. */
    private Consumer<? super ServerFrame> handler;

    /**
     * Hands every frame to {@code frames} from now on, instead of the inbox; the frames already in
     * the inbox go to it first, in order. Null puts frames in the inbox again.
     */
    synchronized void handleFrames(Consumer<? super ServerFrame> frames) {
        if (frames != null) {
            inbox.drain().forEach(frames);
        }
        handler = frames;
    }

    private void received(ServerFrame frame) {
        synchronized (this) {
            if (handler != null) {
                try {
                    handler.accept(frame);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "the frame handler failed on " + frame.getClass().getSimpleName(), e);
                }
                return;
            }
        }
        inbox.add(frame);
    }

    /**
     * The first frame received and not yet taken that matches {@code match}, waiting up to
     * {@code timeout}; null when none arrived in time or the connection ended first.
     */
    ServerFrame take(Predicate<? super ServerFrame> match, Duration timeout) {
        try {
            return inbox.take(match, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a frame", e);
        }
    }

    /** Every frame received and not yet taken, without waiting. */
    List<ServerFrame> drain() {
        return inbox.drain();
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** The close code received (or {@link DeviceSession#ABNORMAL_CLOSURE}, or the one sent: {@link #onError}); -1 while open. */
    int closeCode() {
        return closed.isDone() ? closed.join() : -1;
    }

    String closeReason() {
        return closeReason;
    }

    CompletableFuture<Integer> closeFuture() {
        return closed.copy();
    }

    /** The close code once the connection ended, waiting up to {@code timeout}; -1 when it is still open. */
    int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException e) {
            return -1; // never completed exceptionally
        }
    }

    /** The connection ended. The first caller wins: its code and reason are the ones recorded. */
    synchronized void markClosed(int code, String reason) {
        if (!closed.isDone()) {
            closeReason = reason;
            closed.complete(code);
            inbox.end();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        return onPart(webSocket, () -> assembler.accept(data, last), FrameCodec::decodeServer);
    }

    /** A binary message is a frame in CBOR: a replay page asked for with {@code "encoding":"cbor"} (§3.4). */
    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        return onPart(webSocket, () -> binaryAssembler.accept(data, last), FrameCodec::decodeServerCbor);
    }

    /**
     * One part of a message: {@code join} adds it to the message so far (a whole message, or null
     * while parts are missing, or {@link IllegalStateException} when it grew too long, which drops the
     * connection); a whole message is decoded and handed on, and the next part asked for.
     */
    private <M> CompletionStage<?> onPart(WebSocket webSocket, Supplier<M> join, Function<M, ServerFrame> decode) {
        M message;
        try {
            message = join.get();
        } catch (IllegalStateException tooLong) {
            LOG.log(System.Logger.Level.WARNING, "dropping connection: " + tooLong.getMessage());
            webSocket.abort();
            markClosed(CloseCodes.TOO_BIG, tooLong.getMessage());
            return null;
        }
        if (message != null) {
            ServerFrame frame;
            try {
                frame = decode.apply(message);
            } catch (RuntimeException unreadable) {
                // A frame type this client does not know (a newer server): skipped, not fatal.
                LOG.log(System.Logger.Level.WARNING, "ignoring unreadable server frame: " + unreadable.getMessage());
                frame = null;
            }
            if (frame != null) {
                received(frame);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        markClosed(statusCode, reason);
        return null;
    }

    /** This client sent a close frame with {@code code}: the connection ends when the server answers. */
    void closeSent(int code) {
        closeSent = code;
    }

    /**
     * The connection failed. After this client sent its close, that is the end it asked for, and
     * its own code is recorded: the JDK's WebSocket fails this way when a ping crosses the close,
     * since it cannot send the pong any more ("Output closed"), and never reads the server's answer.
     */
    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        int sent = closeSent;
        if (sent != -1) {
            markClosed(sent, "closed by this client; the server's close did not arrive: " + error);
        } else {
            markClosed(DeviceSession.ABNORMAL_CLOSURE, String.valueOf(error));
        }
    }
}
