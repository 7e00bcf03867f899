package dev.pocketbridge.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * One WebSocket session of a device (PROTOCOL.md §3): the §3.1 handshake, then sending events,
 * receiving frames, acknowledging and replaying.
 *
 * <p>Every frame the server sends after {@code session_established} lands in an inbox, in
 * arrival order. {@link #next(Duration)} takes the oldest; {@link #await(Class, Predicate, Duration)}
 * takes the first frame that matches and leaves the others in place for later reads. The inbox is
 * filled by the WebSocket's listener thread and may be read and written from any thread; sends
 * are serialised.
 *
 * <pre>{@code
 * try (DeviceSession session = DeviceSession.connect(api, identity)) {
 *     ClientFrame.SendEvent event = session.newEvent("clipboard", "clip.text", ciphertext);
 *     ServerFrame outcome = session.sendAndAwait(event, Duration.ofSeconds(10)); // EventAck or EventRejected
 *     ServerFrame.DeliveredEvent other = session.await(ServerFrame.DeliveredEvent.class, e -> true, Duration.ofSeconds(10));
 *     session.ack(other.seq());
 * }
 * }</pre>
 */
public final class DeviceSession implements AutoCloseable {

    public static final int PROTOCOL_VERSION = 1;
    /** Handshake timeout of the convenience factories. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** How long requests on an open session ({@link #replay}, {@link #close()}) wait for their answer. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The close code recorded when the connection broke without a close frame (RFC 6455 §7.4.1). */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** Longest text message accepted: a little over the protocol's 10 MiB frame limit in characters. */
    private static final int MAX_MESSAGE_CHARS = 11 * 1024 * 1024;
    private static final int NONCE_BYTES = 32;
    /** After an {@code error} frame the server closes at once; wait this long to learn the close code. */
    private static final Duration CLOSE_AFTER_ERROR_WAIT = Duration.ofSeconds(3);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final System.Logger LOG = System.getLogger(DeviceSession.class.getName());
    /** One client for every session: it owns a selector thread, so it is shared rather than per session. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Inbox inbox = new Inbox();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private final AtomicLong deviceSeq = new AtomicLong();
    private final Clock clock = Clock.systemUTC();
    private volatile WebSocket webSocket;
    private volatile String closeReason;
    private volatile DeviceIdentity identity;
    private volatile ServerFrame.ServerHello serverHello;
    private volatile ServerFrame.SessionEstablished established;

    private DeviceSession() {
    }

    // --- opening ----------------------------------------------------------------------------------

    /**
     * Connects to {@code api}'s gateway ({@code /ws}) and performs the handshake, pinning the
     * {@code server_identity_pub} of {@link PocketBridgeApi#serverInfo()}.
     *
     * @throws HandshakeException when the handshake fails (code and close code inside)
     */
    public static DeviceSession connect(PocketBridgeApi api, DeviceIdentity identity) {
        return connect(api.webSocketUri(), identity, serverKeyOf(api.serverInfo()), DEFAULT_TIMEOUT);
    }

    /** Connects to {@code wsUri} and handshakes, verifying the server's signature without pinning a key. */
    public static DeviceSession connect(URI wsUri, DeviceIdentity identity) {
        return connect(wsUri, identity, null, DEFAULT_TIMEOUT);
    }

    /**
     * Connects to {@code wsUri} and performs the §3.1 handshake: {@code client_hello} with a fresh
     * 32-byte {@code nonce_c}; checks {@code server_signature} over {@link Transcripts#serverHello}
     * with {@code server_identity_pub}, which must equal {@code pinnedServerKey} when that is not
     * null; answers {@code client_auth} signed over {@link Transcripts#clientAuth}; waits for
     * {@code session_established}.
     *
     * @param pinnedServerKey the 32-byte server identity key to require, or null
     * @param timeout         for the whole handshake
     * @throws HandshakeException when any step fails
     */
    public static DeviceSession connect(URI wsUri, DeviceIdentity identity, byte[] pinnedServerKey,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        DeviceSession session = open(wsUri, timeout);
        try {
            session.handshake(identity, pinnedServerKey, deadline);
            return session;
        } catch (RuntimeException e) {
            session.abort();
            throw e;
        }
    }

    /**
     * Opens the WebSocket without any handshake: every frame the server sends lands in the inbox.
     * For protocol tests that send their own (possibly wrong) frames with {@link #sendFrame} and
     * {@link #sendText}.
     *
     * @throws HandshakeException with {@link HandshakeException#CONNECT_FAILED} when it cannot connect
     */
    public static DeviceSession open(URI wsUri, Duration timeout) {
        DeviceSession session = new DeviceSession();
        try {
            session.webSocket = HTTP.newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(wsUri, session.new Listener())
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return session;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HandshakeException(HandshakeException.CONNECT_FAILED, "interrupted", HandshakeException.NOT_CLOSED,
                    null, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new HandshakeException(HandshakeException.CONNECT_FAILED, wsUri + ": " + cause,
                    HandshakeException.NOT_CLOSED, null, cause);
        }
    }

    /** The 32 bytes of {@code server_identity_pub} of a {@code server-info} answer. */
    public static byte[] serverKeyOf(PocketBridgeApi.ServerInfo info) {
        return Base64Url.decodeExact(info.serverIdentityPub(), Ed25519.PUBLIC_KEY_BYTES)
                .orElseThrow(() -> new IllegalStateException("server-info has no valid server_identity_pub"));
    }

    private void handshake(DeviceIdentity identity, byte[] pinnedServerKey, long deadline) {
        this.identity = identity;
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        String nonceC = Base64Url.encode(nonce);
        sendFrame(new ClientFrame.ClientHello(PROTOCOL_VERSION, identity.userId(), identity.deviceId(), nonceC));

        ServerFrame.ServerHello hello = handshakeStep(ServerFrame.ServerHello.class, deadline);
        HandshakeVerifier.Rejection rejection =
                HandshakeVerifier.checkServerHello(identity, nonceC, hello, pinnedServerKey);
        if (rejection != null) {
            throw refuse(rejection.code(), rejection.message());
        }
        this.serverHello = hello;

        sendFrame(new ClientFrame.ClientAuth(HandshakeVerifier.clientAuthSignature(identity, nonceC, hello)));

        ServerFrame.SessionEstablished session = handshakeStep(ServerFrame.SessionEstablished.class, deadline);
        if (!hello.sessionId().equals(session.sessionId())) {
            throw refuse(HandshakeException.UNEXPECTED_FRAME, "session_established names another session");
        }
        this.established = session;
        deviceSeq.accumulateAndGet(session.lastDeviceSeq(), Math::max);
    }

    private <T extends ServerFrame> T handshakeStep(Class<T> expected, long deadline) {
        ServerFrame frame = take(any -> true, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (frame == null) {
            if (isClosed()) {
                throw new HandshakeException(HandshakeException.CLOSED, "while waiting for " + expected.getSimpleName(),
                        closeCode(), closeReason, null);
            }
            throw new HandshakeException(HandshakeException.TIMEOUT, "no " + expected.getSimpleName() + " in time",
                    HandshakeException.NOT_CLOSED, null, null);
        }
        if (frame instanceof ServerFrame.Error error) {
            int code = waitForClose(CLOSE_AFTER_ERROR_WAIT);
            throw new HandshakeException(error.code(), error.message(), code, closeReason, null);
        }
        if (!expected.isInstance(frame)) {
            throw refuse(HandshakeException.UNEXPECTED_FRAME,
                    "expected " + expected.getSimpleName() + ", got " + frame.getClass().getSimpleName());
        }
        return expected.cast(frame);
    }

    /** Closes with 1008 after the client refused the server, and describes why. */
    private HandshakeException refuse(String code, String message) {
        try {
            closeOutput(CloseCodes.POLICY_VIOLATION, code);
        } catch (RuntimeException ignored) {
            // the exception below says what went wrong; a failed close adds nothing
        }
        return new HandshakeException(code, message, HandshakeException.NOT_CLOSED, null, null);
    }

    // --- state ------------------------------------------------------------------------------------

    /** The identity this session authenticated as (null for a raw {@link #open} session). */
    public DeviceIdentity identity() {
        return identity;
    }

    /** The verified {@code server_hello} (null for a raw session). */
    public ServerFrame.ServerHello serverHello() {
        return serverHello;
    }

    /** The {@code session_established} frame: positions and limits (null for a raw session). */
    public ServerFrame.SessionEstablished established() {
        return established;
    }

    /** The server-assigned {@code session_id} (null for a raw session). */
    public String sessionId() {
        return established == null ? null : established.sessionId();
    }

    /** True once the connection has ended (closed by either side, or broken). */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** The close code received (or {@link #ABNORMAL_CLOSURE}); -1 while open. */
    public int closeCode() {
        return closed.isDone() ? closed.join() : -1;
    }

    /** The close reason received; null while open. */
    public String closeReason() {
        return closeReason;
    }

    /** Completes with the close code when the connection ends. */
    public CompletableFuture<Integer> closeFuture() {
        return closed.copy();
    }

    /**
     * Waits for the connection to end and returns its close code.
     *
     * @throws AwaitTimeoutException when it is still open after {@code timeout}
     */
    public int awaitClose(Duration timeout) {
        int code = waitForClose(timeout);
        if (code == -1) {
            throw new AwaitTimeoutException("session still open after " + timeout);
        }
        return code;
    }

    private int waitForClose(Duration timeout) {
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

    // --- sending ----------------------------------------------------------------------------------

    /** The next {@code device_seq}: one above the highest used or reported by the server. */
    public long nextDeviceSeq() {
        return deviceSeq.incrementAndGet();
    }

    /** The highest {@code device_seq} handed out so far (or {@code last_device_seq} from the server). */
    public long lastDeviceSeq() {
        return deviceSeq.get();
    }

    /** Raises the {@code device_seq} counter to at least {@code seq} (e.g. from local state). */
    public void advanceDeviceSeq(long seq) {
        deviceSeq.accumulateAndGet(seq, Math::max);
    }

    /**
     * A new event: a UUID v7 {@code event_id}, the next {@code device_seq}, {@code payload} as
     * base64url {@code encrypted_payload} (encrypt it first), no expiry, no base stream seq.
     */
    public ClientFrame.SendEvent newEvent(String streamId, String eventType, byte[] payload) {
        return new ClientFrame.SendEvent(Uuids.v7(clock).toString(), nextDeviceSeq(), streamId, eventType,
                Base64Url.encode(payload), null, null);
    }

    /** Sends an event; its outcome ({@code event_ack} or {@code event_rejected}) arrives in the inbox. */
    public void send(ClientFrame.SendEvent event) {
        sendFrame(event);
    }

    /**
     * Sends an event and waits for its {@code event_ack} or {@code event_rejected}.
     *
     * @return a {@link ServerFrame.EventAck} or a {@link ServerFrame.EventRejected}
     */
    public ServerFrame sendAndAwait(ClientFrame.SendEvent event, Duration timeout) {
        send(event);
        return awaitOutcome(event.eventId(), timeout);
    }

    /** Waits for the {@code event_ack} or {@code event_rejected} of {@code eventId}. */
    public ServerFrame awaitOutcome(String eventId, Duration timeout) {
        return await(ServerFrame.class, frame -> frame instanceof ServerFrame.EventAck ack
                ? eventId.equals(ack.eventId())
                : frame instanceof ServerFrame.EventRejected rejected && eventId.equals(rejected.eventId()), timeout);
    }

    /** Acknowledges every {@code seq} up to this one (cumulative). */
    public void ack(long seq) {
        sendFrame(new ClientFrame.Ack(seq));
    }

    /** Sends any client frame as JSON. */
    public void sendFrame(ClientFrame frame) {
        sendText(FrameCodec.encode(frame));
    }

    /**
     * Sends one text frame as given (for protocol tests).
     *
     * @throws SessionClosedException when the connection is gone
     */
    public void sendText(String text) {
        synchronized (sendLock) {
            // The JDK WebSocket allows one outstanding send: wait for each before the next.
            try {
                webSocket.sendText(text, true).get(REQUEST_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new SessionClosedException(isClosed() ? closeCode() : ABNORMAL_CLOSURE,
                        "send failed: " + (e instanceof ExecutionException ? e.getCause() : e));
            }
        }
    }

    // --- receiving --------------------------------------------------------------------------------

    /**
     * The oldest frame not yet taken, waiting up to {@code timeout}; null when none arrived in
     * time or the connection ended (see {@link #isClosed()}).
     */
    public ServerFrame next(Duration timeout) {
        return take(frame -> true, timeout);
    }

    /**
     * The first frame matching {@code match}; other frames stay in the inbox for later reads.
     *
     * @throws AwaitTimeoutException  when none arrives within {@code timeout}
     * @throws SessionClosedException when the connection ends first
     */
    public ServerFrame await(Predicate<? super ServerFrame> match, Duration timeout) {
        return await(ServerFrame.class, match, timeout);
    }

    /**
     * The first frame of {@code type} matching {@code match}; other frames stay in the inbox.
     *
     * @throws AwaitTimeoutException  when none arrives within {@code timeout}
     * @throws SessionClosedException when the connection ends first
     */
    public <T extends ServerFrame> T await(Class<T> type, Predicate<? super T> match, Duration timeout) {
        ServerFrame frame = take(f -> type.isInstance(f) && match.test(type.cast(f)), timeout);
        if (frame == null) {
            if (isClosed()) {
                throw new SessionClosedException(closeCode(), closeReason);
            }
            throw new AwaitTimeoutException("no matching " + type.getSimpleName() + " within " + timeout);
        }
        return type.cast(frame);
    }

    /** Every frame received and not yet taken, without waiting. */
    public List<ServerFrame> drain() {
        return inbox.drain();
    }

    private ServerFrame take(Predicate<? super ServerFrame> match, Duration timeout) {
        try {
            return inbox.take(match, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a frame", e);
        }
    }

    // --- replay -----------------------------------------------------------------------------------

    /**
     * Sends a {@code replay_request} and waits for its {@code replay_response}. Every argument may
     * be null: without {@code afterSeq} and {@code continuationToken} the server starts after this
     * device's acked position; {@code limit} defaults to 100 on the server.
     *
     * @throws ServerErrorException when the server answers with an {@code error} frame
     */
    public ServerFrame.ReplayResponse replay(Long afterSeq, Integer limit, String continuationToken) {
        String requestId = UUID.randomUUID().toString();
        sendFrame(new ClientFrame.ReplayRequest(requestId, afterSeq, limit, continuationToken));
        ServerFrame answer = await(frame -> frame instanceof ServerFrame.ReplayResponse response
                ? response.requestId() == null || requestId.equals(response.requestId())
                : frame instanceof ServerFrame.Error, REQUEST_TIMEOUT);
        if (answer instanceof ServerFrame.Error error) {
            throw new ServerErrorException(error.code(), error.message());
        }
        return (ServerFrame.ReplayResponse) answer;
    }

    /**
     * Replays every event after {@code afterSeq} (null: after the acked position), following
     * {@code continuation_token}s until {@code has_more} is false.
     */
    public List<ServerFrame.DeliveredEvent> replayAll(Long afterSeq) {
        List<ServerFrame.DeliveredEvent> events = new ArrayList<>();
        ServerFrame.ReplayResponse page = replay(afterSeq, null, null);
        events.addAll(page.events());
        while (page.hasMore()) {
            if (page.continuationToken() == null) {
                throw new IllegalStateException("replay_response has_more without a continuation_token");
            }
            page = replay(null, null, page.continuationToken());
            events.addAll(page.events());
        }
        return events;
    }

    // --- closing ----------------------------------------------------------------------------------

    /**
     * Closes normally (1000) and waits briefly for the server's close; aborts the connection if
     * that does not come. Does nothing when already closed.
     */
    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        try {
            closeOutput(CloseCodes.NORMAL, "bye");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "close frame not sent", e);
        }
        if (waitForClose(Duration.ofSeconds(5)) == -1) {
            abort();
        }
    }

    /** Drops the connection at once, without a close handshake. */
    public void abort() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
        markClosed(ABNORMAL_CLOSURE, "aborted by client");
    }

    private void closeOutput(int code, String reason) {
        synchronized (sendLock) {
            WebSocket ws = webSocket;
            if (ws != null && !ws.isOutputClosed()) {
                try {
                    ws.sendClose(code, reason).get(REQUEST_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    LOG.log(System.Logger.Level.DEBUG, "close frame not sent", e);
                }
            }
        }
    }

    /** The first caller wins: its code and reason are the ones recorded. */
    private synchronized void markClosed(int code, String reason) {
        if (!closed.isDone()) {
            closeReason = reason;
            closed.complete(code);
            inbox.end();
        }
    }

    @Override
    public String toString() {
        return "DeviceSession[session_id=" + sessionId() + (isClosed() ? ", closed " + closeCode() : ", open") + "]";
    }

    /** Runs on the WebSocket's thread: only decodes and appends. */
    private final class Listener implements WebSocket.Listener {

        private final TextAssembler assembler = new TextAssembler(MAX_MESSAGE_CHARS);

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String message;
            try {
                message = assembler.accept(data, last);
            } catch (IllegalStateException tooLong) {
                LOG.log(System.Logger.Level.WARNING, "dropping connection: " + tooLong.getMessage());
                webSocket.abort();
                markClosed(CloseCodes.TOO_BIG, tooLong.getMessage());
                return null;
            }
            if (message != null) {
                try {
                    inbox.add(FrameCodec.decodeServer(message));
                } catch (RuntimeException unreadable) {
                    // A frame type this client does not know (a newer server): skipped, not fatal.
                    LOG.log(System.Logger.Level.WARNING, "ignoring unreadable server frame: " + unreadable.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1); // the protocol has no binary frames
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            markClosed(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            markClosed(ABNORMAL_CLOSURE, String.valueOf(error));
        }
    }
}
