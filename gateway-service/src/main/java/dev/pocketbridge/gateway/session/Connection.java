package dev.pocketbridge.gateway.session;

import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.common.kafka.DeviceAck;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.handshake.DeviceLookup;
import dev.pocketbridge.gateway.handshake.Handshake;
import dev.pocketbridge.gateway.routing.LocalSession;
import io.netty.handler.codec.TooLongFrameException;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One WebSocket connection: the handshake state machine (AWAIT_HELLO → AWAIT_AUTH → ESTABLISHED)
 * and, once established, the session that sends events, acks and replay requests and receives
 * deliveries. Inbound frames are handled one at a time in arrival order; while the handshake is
 * under way its state is a {@link PendingHandshake}, and once established its {@link SessionFrames}
 * switches them to their handlers. Everything sent goes through its
 * {@link OutboundQueue}, bounded in frames and bytes. Its {@link FrameGuard} refuses oversized
 * messages from their frame headers, with a smaller limit until the session is established.
 */
final class Connection implements LocalSession {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    enum State { AWAIT_HELLO, AWAIT_AUTH, ESTABLISHED, CLOSED }

    private final WebSocketSession ws;
    private final SessionCollaborators c;
    private final SessionProperties props;
    private final OutboundQueue outbound;
    private final FrameGuard guard;
    private final InflightEvents inflight;
    private final CoalescedAcks acks;
    private final Replays replays;
    private final SessionFrames frames;
    private final GatewayMetrics.Handshake handshake;
    private final Disposable.Composite timers = Disposables.composite();
    private final PendingHandshake pending = new PendingHandshake();
    private final SessionLogIds logIds = new SessionLogIds();
    private volatile State state = State.AWAIT_HELLO;
    private boolean registered;
    /** Set by an accepted {@code client_hello}, kept for the session's life. */
    private volatile String sessionId;
    private volatile String userId;
    private volatile String deviceId;
    /** When device-service was asked about the device ({@link System#nanoTime()}); see {@link LocalSession#checkedAtNanos()}. */
    private volatile long checkedAt;
    /** The device's type as device-service said at the handshake; passed on with its events (for analytics). */
    private volatile String deviceType;

    Connection(ChannelUpgradeStrategy.FrameSession ws, SessionCollaborators collaborators) {
        this.ws = ws;
        this.c = collaborators;
        this.props = collaborators.properties();
        this.outbound = new OutboundQueue(ws, props.outboundBuffer(), props.outboundBufferBytes(),
                collaborators.ledger(), collaborators.metrics(), () -> close(CloseCodes.TRY_AGAIN_LATER, "outbound buffer full"));
        this.guard = new FrameGuard(props.preHandshakeFrameBytes(), props.closeTimeout(), outbound::written,
                this::frameTooBig);
        this.inflight = new InflightEvents(collaborators, this, () -> deviceType, this::send, Schedulers.parallel());
        this.acks = new CoalescedAcks(props.ackFlushInterval(), Schedulers.parallel(), this::writeAck);
        this.replays = new Replays(collaborators, this::send, outbound::send, outbound::sendBinary);
        this.frames = new SessionFrames(this, inflight, acks, replays, this::send, () -> fail(ErrorCode.PROTOCOL_ERROR,
                "the session is already established", CloseCodes.POLICY_VIOLATION));
        this.handshake = collaborators.metrics().handshake();
    }

    /** The Netty handler to install in front of this connection's frame decoder. */
    FrameGuard guard() {
        return guard;
    }

    /** Runs the connection until either side closes it. */
    Mono<Void> run() {
        pending.timeOut(props.handshakeTimeout(), this::handshakeTimedOut);
        timers.add(Flux.interval(props.pingInterval()).subscribe(t -> ping()));
        Mono<Void> output = outbound.run();
        Mono<Void> input = inOrder(ws.receive(), this::onMessage)
                .onErrorResume(this::inboundFailed)
                .doFinally(signal -> finish());
        return Mono.when(input, output).doFinally(signal -> finish());
    }

    // ---- inbound -------------------------------------------------------------------------------

    /**
     * Handles {@code messages} one at a time, in order, each once the work of the one before is done.
     * The work of each lets go of what it held when it ends: {@code concatMap} keeps the last work's
     * subscription until later work replaces it (work that is empty at once does not), so without
     * that a session that went idle would keep its last event, payload and all, for its life.
     */
    static <T> Mono<Void> inOrder(Flux<T> messages, Function<T, Mono<Void>> handle) {
        return messages.concatMap(message -> handle.apply(message).onTerminateDetach()).then();
    }

    /**
     * The {@link FrameGuard} refuses oversized messages before Netty's decoder and aggregator see
     * them; should the aggregator still find one too long, it surfaces here and must not fail the
     * handler (Reactor Netty would close 1002).
     */
    private Mono<Void> inboundFailed(Throwable error) {
        if (error instanceof TooLongFrameException) {
            close(CloseCodes.TOO_BIG, "frame too big");
        } else {
            log.debug("inbound of session failed: {}", error.toString());
            close(CloseCodes.INTERNAL_ERROR, "internal error");
        }
        return Mono.empty();
    }

    private Mono<Void> onMessage(WebSocketMessage message) {
        try (SessionLogIds.Scope ids = logIds.open()) {
            return handle(message);
        }
    }

    private Mono<Void> handle(WebSocketMessage message) {
        if (state == State.CLOSED) {
            return Mono.empty();
        }
        switch (message.getType()) {
            case PING, PONG -> {
                return Mono.empty();
            }
            case BINARY -> {
                return fail(ErrorCode.PROTOCOL_ERROR, "frames must be text", CloseCodes.POLICY_VIOLATION);
            }
            default -> {
                // text
            }
        }
        FrameCodec.Decoded decoded = c.decoder().decode(message.getPayloadAsText());
        return switch (state) {
            case AWAIT_HELLO -> decoded instanceof FrameCodec.Decoded.Valid(ClientFrame.ClientHello h)
                    ? onHello(h)
                    : fail(ErrorCode.PROTOCOL_ERROR, "the first frame must be client_hello", CloseCodes.POLICY_VIOLATION);
            case AWAIT_AUTH -> decoded instanceof FrameCodec.Decoded.Valid(ClientFrame.ClientAuth a)
                    ? onAuth(a)
                    : fail(ErrorCode.PROTOCOL_ERROR, "expected client_auth", CloseCodes.POLICY_VIOLATION);
            case ESTABLISHED -> frames.handle(decoded);
            case CLOSED -> Mono.empty();
        };
    }

    private Mono<Void> onHello(ClientFrame.ClientHello clientHello) {
        return switch (c.handshake().hello(clientHello)) {
            case Handshake.HelloOutcome.Refused(ErrorCode code, String message) ->
                    fail(code, message, CloseCodes.POLICY_VIOLATION);
            case Handshake.HelloOutcome.Accepted accepted -> {
                sessionId = accepted.reply().sessionId();
                userId = clientHello.userId();
                deviceId = clientHello.deviceId();
                logIds.identify(userId(), deviceId());
                // Looked up now, decided at client_auth: the reply never depends on whether the device exists.
                pending.helloAccepted(accepted, c.directory().lookup(clientHello.deviceId()));
                synchronized (this) {
                    if (state != State.AWAIT_HELLO) {
                        yield Mono.empty(); // timed out meanwhile
                    }
                    state = State.AWAIT_AUTH;
                }
                send(accepted.reply());
                yield Mono.empty();
            }
        };
    }

    private Mono<Void> onAuth(ClientFrame.ClientAuth auth) {
        return pending.decide((accepted, result) -> onLookup(result, accepted, auth));
    }

    /** The lookup begun at {@code client_hello} answered: decides on the {@code client_auth} waiting for it. */
    private Mono<Void> onLookup(DeviceLookup result, Handshake.HelloOutcome.Accepted accepted, ClientFrame.ClientAuth auth) {
        try (SessionLogIds.Scope ids = logIds.open()) {
            return switch (result) {
                case DeviceLookup.Unavailable u -> fail(ErrorCode.UNAVAILABLE,
                        "device directory unavailable; retry later", CloseCodes.TRY_AGAIN_LATER);
                case DeviceLookup.NotFound n -> authenticationFailed();
                case DeviceLookup.Found(var device, long askedAt) -> {
                    checkedAt = askedAt; // a kept answer is as old as its question
                    deviceType = device.deviceType();
                    if (!c.handshake().authenticate(accepted, device, auth)) {
                        yield authenticationFailed();
                    }
                    // The same ids, as the device directory keeps them: the session holds no copies of its own.
                    userId = device.userId();
                    deviceId = device.deviceId();
                    yield establish();
                }
            };
        }
    }

    private Mono<Void> authenticationFailed() {
        return fail(ErrorCode.AUTHENTICATION_FAILED, "authentication failed", CloseCodes.POLICY_VIOLATION);
    }

    private Mono<Void> establish() {
        return c.events().position(userId(), deviceId())
                .doOnNext(position -> logIds.run(() -> established(position)))
                .then()
                .onErrorResume(e -> {
                    logIds.run(() -> log.warn("device position unavailable: {}", e.toString()));
                    return fail(ErrorCode.UNAVAILABLE, "event log unavailable; retry later", CloseCodes.TRY_AGAIN_LATER);
                });
    }

    private void established(DevicePosition position) {
        long now = c.clock().millis();
        long expiresAt = now + props.maxAge().toMillis();
        synchronized (this) {
            if (state != State.AWAIT_AUTH) {
                return; // timed out or closed while the position was fetched
            }
            state = State.ESTABLISHED;
            registered = true;
        }
        pending.end();
        handshake.ok();
        guard.limit(props.maxFrameBytes());
        // The frame goes out before registration, so no delivery can precede it.
        send(new ServerFrame.SessionEstablished(sessionId(), position.lastDeviceSeq(), position.lastAckedSeq(),
                position.headSeq(), position.oldestAvailableSeq(), expiresAt, props.maxFrameBytes()));
        c.registry().register(this);
        synchronized (this) {
            if (!registered) {
                // finish() ran while this session registered: it found nothing to unregister.
                c.registry().unregister(this);
                return;
            }
        }
        timers.add(SessionExpiry.schedule(props.maxAge(), props.expiryWarning(), expiresAt, this::send,
                () -> close(CloseCodes.SESSION_EXPIRED, "session expired"), Schedulers.parallel()));
    }

    /** Pings, or closes a connection that has not answered for the idle timeout. */
    private void ping() {
        // Silence is measured where bytes arrive, not where frames are handled: a frame waiting
        // behind a slow one (a first produce fetching metadata) still shows the client is alive.
        if (System.nanoTime() - guard.lastRead() > props.idleTimeout().toNanos()) {
            close(CloseCodes.GOING_AWAY, "no answer to pings");
            return;
        }
        outbound.ping();
    }

    private void handshakeTimedOut() {
        synchronized (this) {
            if (state != State.AWAIT_HELLO && state != State.AWAIT_AUTH) {
                return;
            }
            state = State.CLOSED; // an authentication finishing now must not establish
        }
        fail(ErrorCode.HANDSHAKE_TIMEOUT, "the handshake did not complete in time", CloseCodes.HANDSHAKE_TIMEOUT);
    }

    /** Writes a coalesced ack to {@code acks}; one not produced is carried by the next cumulative ack. */
    private void writeAck(long seq) {
        DeviceAck record = new DeviceAck(Topics.SCHEMA_VERSION, userId(), deviceId(), seq, c.clock().millis());
        c.publisher().ack(record, e -> log.warn("ack not produced: {}", e.toString())).subscribe();
    }

    // ---- deliveries (LocalSession) ---------------------------------------------------------------

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public long checkedAtNanos() {
        return checkedAt;
    }

    @Override
    public void drain() {
        inflight.drain();
    }

    @Override
    public int pendingEvents() {
        return inflight.size();
    }

    @Override
    public void deliverLive(ServerFrame.DeliveredEvent event) {
        outbound.deliverLive(event);
    }

    @Override
    public void deliverOutcome(ServerFrame frame) {
        inflight.outcome(frame);
        send(frame);
    }

    // ---- outbound and closing --------------------------------------------------------------------

    private void send(ServerFrame frame) {
        c.metrics().sent(frame);
        outbound.send(frame);
    }

    private Mono<Void> fail(ErrorCode code, String message, int closeCode) {
        handshake.failed(code); // counted only while the handshake is under way
        send(new ServerFrame.Error(code.wire(), message));
        close(closeCode, message);
        return Mono.empty();
    }

    /** Answers with an {@code error} and closes, before anything the client sends is read. */
    void refuse(ErrorCode code, String message, int closeCode) {
        fail(code, message, closeCode);
    }

    /** From the {@link FrameGuard}: a message above the limit began; the rest of it is never read. */
    private void frameTooBig() {
        c.metrics().frameTooBig();
        close(CloseCodes.TOO_BIG, "frame too big");
    }

    @Override
    public void close(int closeCode, String reason) {
        synchronized (this) {
            state = State.CLOSED;
        }
        if (closeCode == CloseCodes.DEVICE_REVOKED) {
            // The account is closed: nothing more of this session is taken, not even its last coalesced
            // ack (a removed device's or deleted user's cursor must not be written again after its erasure).
            acks.discard();
        }
        if (outbound.close(new CloseStatus(closeCode, reason))) {
            guard.closing();
        }
    }

    /** Runs once the connection is over, whoever ended it. */
    private void finish() {
        logIds.run(this::finished);
    }

    private void finished() {
        boolean wasRegistered;
        synchronized (this) {
            state = State.CLOSED;
            wasRegistered = registered;
            registered = false;
        }
        handshake.ended();
        outbound.finish();
        timers.dispose();
        pending.end();
        acks.finish();
        inflight.sessionEnded();
        replays.sessionEnded();
        if (wasRegistered) {
            c.registry().unregister(this);
        }
    }

    State state() {
        return state;
    }

}
