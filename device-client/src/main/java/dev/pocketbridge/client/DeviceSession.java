package dev.pocketbridge.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Ed25519;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * One WebSocket session of a device (PROTOCOL.md §3): the §3.1 handshake (its frames and checks
 * are a {@link ClientHandshake}), then sending events, receiving frames, acknowledging and replaying.
 *
 * <p>Every frame the server sends after {@code session_established} lands in an inbox, in
 * arrival order. {@link #next(Duration)} takes the oldest; {@link #await(Class, Predicate, Duration)}
 * takes the first frame that matches and leaves the others in place for later reads. The inbox is
 * filled by the WebSocket's listener thread ({@link SessionListener}) and may be read and written
 * from any thread; sends are serialised ({@link SessionSocket}). A caller that reacts to frames as
 * they come rather than waiting for them sets a handler ({@link #handleFrames}) instead: no thread
 * of its own waits for each frame.
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

    public static final int PROTOCOL_VERSION = ClientHandshake.PROTOCOL_VERSION;
    /** Handshake timeout of the convenience factories. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** How long requests on an open session ({@link #replay}, {@link #close()}) wait for their answer. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The close code recorded when the connection broke without a close frame (RFC 6455 §7.4.1). */
    public static final int ABNORMAL_CLOSURE = 1006;

    /** One client for every session: it owns a selector thread, so it is shared rather than per session. */
    private static final HttpClient HTTP = HttpClient.newBuilder().executor(Runnable::run).build();

    private final SessionSocket socket;
    private final SessionListener received;
    private final AtomicLong deviceSeq = new AtomicLong();
    private final Clock clock = Clock.systemUTC();
    private volatile DeviceIdentity identity;
    private volatile ServerFrame.ServerHello serverHello;
    private volatile ServerFrame.SessionEstablished established;

    private DeviceSession(SessionSocket socket) {
        this.socket = socket;
        this.received = socket.received();
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
     * Connects to {@code wsUri} and performs the §3.1 handshake ({@link ClientHandshake}):
     * {@code server_hello} must be signed by {@code server_identity_pub}, which must equal
     * {@code pinnedServerKey} when that is not null. A server the client refuses is closed with 1008.
     *
     * @param pinnedServerKey the 32-byte server identity key to require, or null
     * @param timeout         for the whole handshake
     * @throws HandshakeException when any step fails
     */
    public static DeviceSession connect(URI wsUri, DeviceIdentity identity, byte[] pinnedServerKey,
            Duration timeout) {
        return connect(HTTP, wsUri, identity, pinnedServerKey, timeout);
    }

    /** As {@link #connect(URI, DeviceIdentity, byte[], Duration)}, through {@code http} (e.g. one bound to a local address). */
    public static DeviceSession connect(HttpClient http, URI wsUri, DeviceIdentity identity, byte[] pinnedServerKey,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        DeviceSession session = open(http, wsUri, timeout);
        try {
            session.handshake(new ClientHandshake(identity, pinnedServerKey), deadline);
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
        return open(HTTP, wsUri, timeout);
    }

    /** As {@link #open(URI, Duration)}, through {@code http} (e.g. one bound to a local address). */
    public static DeviceSession open(HttpClient http, URI wsUri, Duration timeout) {
        return new DeviceSession(SessionSocket.open(http, wsUri, timeout));
    }

    /** The 32 bytes of {@code server_identity_pub} of a {@code server-info} answer. */
    public static byte[] serverKeyOf(PocketBridgeApi.ServerInfo info) {
        return Base64Url.decodeExact(info.serverIdentityPub(), Ed25519.PUBLIC_KEY_BYTES)
                .orElseThrow(() -> new IllegalStateException("server-info has no valid server_identity_pub"));
    }

    private void handshake(ClientHandshake handshake, long deadline) {
        this.identity = handshake.identity();
        ClientHandshake.Established done = socket.handshake(handshake, deadline);
        this.serverHello = done.hello();
        this.established = done.session();
        deviceSeq.accumulateAndGet(done.session().lastDeviceSeq(), Math::max);
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
        return received.isClosed();
    }

    /** The close code received, {@link #ABNORMAL_CLOSURE} when none came, or its own after {@link #close()}; -1 while open. */
    public int closeCode() {
        return received.closeCode();
    }

    /** The close reason received; null while open. */
    public String closeReason() {
        return received.closeReason();
    }

    /**
     * Completes with the close code when the connection ends, usually on the thread that reads
     * every session: a stage that blocks must be an {@code ...Async} one.
     */
    public CompletableFuture<Integer> closeFuture() {
        return received.closeFuture();
    }

    /** Waits for the connection to end and returns its close code; {@link AwaitTimeoutException} if it does not. */
    public int awaitClose(Duration timeout) {
        int code = received.awaitClose(timeout);
        if (code == -1) {
            throw new AwaitTimeoutException("session still open after " + timeout);
        }
        return code;
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
        socket.sendText(text);
    }

    // --- receiving --------------------------------------------------------------------------------

    /**
     * The oldest frame not yet taken, waiting up to {@code timeout}; null when none arrived in
     * time or the connection ended (see {@link #isClosed()}).
     */
    public ServerFrame next(Duration timeout) {
        return received.take(frame -> true, timeout);
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
        ServerFrame frame = received.take(f -> type.isInstance(f) && match.test(type.cast(f)), timeout);
        if (frame == null) {
            if (isClosed()) {
                throw new SessionClosedException(closeCode(), closeReason());
            }
            throw new AwaitTimeoutException("no matching " + type.getSimpleName() + " within " + timeout);
        }
        return type.cast(frame);
    }

    /** Every frame received and not yet taken, without waiting. */
    public List<ServerFrame> drain() {
        return received.drain();
    }

    /**
     * Hands every frame the session receives to {@code frames} from now on, in arrival order,
     * instead of the inbox; the frames already in the inbox go to it first. Null puts frames in the
     * inbox again, for {@link #next}, {@link #await} and the requests that wait for their answer
     * ({@link #replay}, {@link #sendAndAwait}): while a handler is set, they see no frame.
     *
     * <p>The handler runs on the thread that reads every session of this process: it must not
     * block, wait for a frame or send (a send waits for the socket, which that same thread serves);
     * hand such work to another thread. An exception it throws is logged, and the frame is not
     * handed again. How the connection ended is {@link #closeFuture()}'s to say.
     */
    public void handleFrames(Consumer<? super ServerFrame> frames) {
        received.handleFrames(frames);
    }

    // --- replay -----------------------------------------------------------------------------------

    /**
     * Sends a {@code replay_request} and waits for its {@code replay_response}. Every argument may
     * be null: without {@code afterSeq} and {@code continuationToken} the server starts after this
     * device's acked position; {@code limit} defaults to 100 on the server. An {@code error} answer
     * is thrown as a {@link ServerErrorException}. Pages are asked for in CBOR (§3.4).
     */
    public ServerFrame.ReplayResponse replay(Long afterSeq, Integer limit, String continuationToken) {
        return replay(afterSeq, limit, continuationToken, REQUEST_TIMEOUT);
    }

    private ServerFrame.ReplayResponse replay(Long afterSeq, Integer limit, String token, Duration timeout) {
        String requestId = UUID.randomUUID().toString();
        sendFrame(new ClientFrame.ReplayRequest(requestId, afterSeq, limit, token, ClientFrame.ReplayRequest.CBOR));
        ServerFrame answer = await(frame -> frame instanceof ServerFrame.ReplayResponse response
                ? response.requestId() == null || requestId.equals(response.requestId())
                : frame instanceof ServerFrame.Error, timeout);
        if (answer instanceof ServerFrame.Error error) {
            throw new ServerErrorException(error.code(), error.message());
        }
        return (ServerFrame.ReplayResponse) answer;
    }

    /** Every event after {@code afterSeq} (null: the acked position) in one list; see {@link #replayPages}. */
    public List<ServerFrame.DeliveredEvent> replayAll(Long afterSeq) {
        List<ServerFrame.DeliveredEvent> events = new ArrayList<>();
        replayPages(afterSeq, null, REQUEST_TIMEOUT, page -> events.addAll(page.events()));
        return events;
    }

    /**
     * Replays the events after {@code afterSeq} (null: after the acked position) a page of
     * {@code limit} at a time (null: the server's default), following the continuations until the
     * log's end or until {@code pages} returns false. Each page is handed over as it comes and let
     * go before the next is asked for, so a long catch-up holds one page at a time, and what was
     * handled before a lost connection stays handled (ack it as you go). Waits at most
     * {@code timeout} for each page ({@link AwaitTimeoutException}).
     */
    public <X extends Exception> void replayPages(Long afterSeq, Integer limit, Duration timeout, ReplayPageHandler<X> pages)
            throws X {
        ServerFrame.ReplayResponse page = replay(afterSeq, limit, null, timeout);
        while (pages.handle(page) && page.hasMore()) {
            if (page.continuationToken() == null) {
                throw new IllegalStateException("replay_response has_more without a continuation_token");
            }
            page = replay(null, limit, page.continuationToken(), timeout);
        }
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
        socket.closeOutput(CloseCodes.NORMAL, "bye");
        if (received.awaitClose(Duration.ofSeconds(5)) == -1) {
            abort();
        }
    }

    /** Drops the connection at once, without a close handshake. */
    public void abort() {
        socket.abort();
    }

    @Override
    public String toString() {
        return "DeviceSession[session_id=" + sessionId() + (isClosed() ? ", closed " + closeCode() : ", open") + "]";
    }
}
