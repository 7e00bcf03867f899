package dev.pocketbridge.gateway.session;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import com.netflix.concurrency.limits.Limiter;

import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.common.kafka.DeviceAck;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.handshake.DeviceDirectory;
import dev.pocketbridge.gateway.handshake.DeviceLookup;
import dev.pocketbridge.gateway.handshake.Handshake;
import dev.pocketbridge.gateway.routing.LocalSession;
import dev.pocketbridge.gateway.routing.SessionRegistry;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.TooLongFrameException;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One WebSocket connection: the handshake state machine (AWAIT_HELLO → AWAIT_AUTH → ESTABLISHED)
 * and, once established, the session that sends events, acks and replay requests and receives
 * deliveries. Inbound frames are handled one at a time in arrival order; everything sent goes
 * through one {@link Outbound} queue bounded in frames and bytes. Its {@link FrameGuard} refuses
 * oversized messages from their frame headers, with a smaller limit until the session is established.
 */
final class Connection implements LocalSession {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    enum State { AWAIT_HELLO, AWAIT_AUTH, ESTABLISHED, CLOSED }

    /** Shared by every connection. */
    record Collaborators(Handshake handshake, DeviceDirectory directory, EventServiceClient events,
            InboundPublisher publisher, SessionRegistry registry, EventValidator validator,
            FrameCodec.ClientDecoder decoder, NodeAdmission admission, SessionRateLimits rateLimits,
            OutboundLedger ledger, Counter framesTooBig, SessionProperties properties, ProtocolLimitsProperties limits,
            int nodeId, Clock clock) {
    }

    private record Pending(Disposable timer, Limiter.Listener slot) {
    }

    /** How an event stopped being pending: what the admission limit learns from it. */
    private enum Release { OUTCOME, LOST, SESSION_ENDED }

    private final WebSocketSession ws;
    private final Collaborators c;
    private final SessionProperties props;
    private final Outbound outbound;
    private final FrameGuard guard;
    /** Events awaiting their outcome, by {@link #pendingKey}: the timer that gives up, and the node's admission slot. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong lastDeliveredSeq = new AtomicLong();
    /** The newest cumulative ack not yet written to {@code acks}; -1 when there is none. */
    private final AtomicLong unsentAck = new AtomicLong(-1);
    private final AtomicBoolean ackFlushScheduled = new AtomicBoolean();
    /** A device has one replay in flight at a time: each holds a connection to event-service and a page in memory. */
    private final AtomicBoolean replaying = new AtomicBoolean();
    private final Disposable.Composite timers = Disposables.composite();
    private volatile State state = State.AWAIT_HELLO;
    private volatile boolean draining;
    private boolean registered;
    private Handshake.HelloOutcome.Accepted hello;
    private Mono<DeviceLookup> lookup;
    /** When device-service was asked about the device ({@link System#nanoTime()}); see {@link LocalSession#checkedAtNanos()}. */
    private volatile long checkedAt;

    Connection(WebSocketSession ws, Collaborators collaborators) {
        this.ws = ws;
        this.c = collaborators;
        this.props = collaborators.properties();
        OutboundLedger.Budget budget = collaborators.ledger().open(props.outboundBufferBytes());
        this.outbound = new Outbound(ws, props.outboundBuffer(), budget);
        this.guard = new FrameGuard(props.preHandshakeFrameBytes(), props.closeTimeout(), budget::release,
                this::frameTooBig);
    }

    /** The Netty handler to install in front of this connection's frame decoder. */
    FrameGuard guard() {
        return guard;
    }

    /** Runs the connection until either side closes it. */
    Mono<Void> run() {
        timers.add(Mono.delay(props.handshakeTimeout()).subscribe(t -> handshakeTimedOut()));
        timers.add(Flux.interval(props.pingInterval()).subscribe(t -> ping()));
        Mono<Void> output = outbound.run();
        Mono<Void> input = ws.receive()
                .concatMap(this::onMessage)
                .then()
                .onErrorResume(this::inboundFailed)
                .doFinally(signal -> finish());
        return Mono.when(input, output).doFinally(signal -> finish());
    }

    // ---- inbound -------------------------------------------------------------------------------

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
            case ESTABLISHED -> onSessionFrame(decoded);
            case CLOSED -> Mono.empty();
        };
    }

    private Mono<Void> onHello(ClientFrame.ClientHello clientHello) {
        return switch (c.handshake().hello(clientHello)) {
            case Handshake.HelloOutcome.Refused(ErrorCode code, String message) ->
                    fail(code, message, CloseCodes.POLICY_VIOLATION);
            case Handshake.HelloOutcome.Accepted accepted -> {
                hello = accepted;
                // Looked up now, decided at client_auth: the reply never depends on whether the device exists.
                checkedAt = System.nanoTime();
                lookup = c.directory().lookup(clientHello.deviceId()).cache();
                timers.add(lookup.subscribe());
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
        return lookup.flatMap(result -> switch (result) {
            case DeviceLookup.Unavailable u ->
                    fail(ErrorCode.UNAVAILABLE, "device directory unavailable; retry later", CloseCodes.TRY_AGAIN_LATER);
            case DeviceLookup.NotFound n -> authenticationFailed();
            case DeviceLookup.Found(var device) -> c.handshake().authenticate(hello, device, auth)
                    ? establish()
                    : authenticationFailed();
        });
    }

    private Mono<Void> authenticationFailed() {
        return fail(ErrorCode.AUTHENTICATION_FAILED, "authentication failed", CloseCodes.POLICY_VIOLATION);
    }

    private Mono<Void> establish() {
        return c.events().position(userId(), deviceId())
                .map(position -> {
                    established(position);
                    return position;
                })
                .then()
                .onErrorResume(e -> {
                    log.warn("device position unavailable: {}", e.toString());
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
        Duration warnIn = props.maxAge().minus(props.expiryWarning());
        if (!warnIn.isNegative()) {
            timers.add(Mono.delay(warnIn).subscribe(t -> send(new ServerFrame.SessionExpiring(expiresAt))));
        }
        timers.add(Mono.delay(props.maxAge()).subscribe(t -> close(CloseCodes.SESSION_EXPIRED, "session expired")));
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

    private Mono<Void> onSessionFrame(FrameCodec.Decoded decoded) {
        return switch (decoded) {
            case FrameCodec.Decoded.Invalid(String type, String eventId, Long deviceSeq, String reason) -> {
                if ("event".equals(type)) {
                    send(new ServerFrame.EventRejected(eventId, deviceSeq, RejectCode.INVALID_EVENT.wire(), reason, null));
                } else {
                    send(new ServerFrame.Error(ErrorCode.PROTOCOL_ERROR.wire(), reason));
                }
                yield Mono.empty();
            }
            case FrameCodec.Decoded.Valid(ClientFrame frame) -> switch (frame) {
                case ClientFrame.ClientHello h ->
                        fail(ErrorCode.PROTOCOL_ERROR, "the session is already established", CloseCodes.POLICY_VIOLATION);
                case ClientFrame.ClientAuth a ->
                        fail(ErrorCode.PROTOCOL_ERROR, "the session is already established", CloseCodes.POLICY_VIOLATION);
                case ClientFrame.SendEvent e -> onEvent(e);
                case ClientFrame.Ack a -> onAck(a);
                case ClientFrame.ReplayRequest r -> onReplay(r);
            };
        };
    }

    private Mono<Void> onEvent(ClientFrame.SendEvent event) {
        long retryAfter = c.rateLimits().eventRetryAfterMillis(deviceId());
        if (retryAfter > 0) {
            send(new ServerFrame.EventRejected(event.eventId(), event.deviceSeq(), RejectCode.RATE_LIMITED.wire(),
                    "too many events from this device; retry later", retryAfter));
            return Mono.empty();
        }
        long now = c.clock().millis();
        var rejection = c.validator().validate(event, now)
                // Only the log knows whether an expired event is a resend of a stored one (then: duplicate).
                .filter(r -> r.code() != RejectCode.EXPIRED);
        if (rejection.isPresent()) {
            send(new ServerFrame.EventRejected(event.eventId(), event.deviceSeq(), rejection.get().code().wire(),
                    rejection.get().message(), null));
            return Mono.empty();
        }
        if (draining) {
            send(rejected(event.eventId(), event.deviceSeq(), RejectCode.UNAVAILABLE, "the server is shutting down"));
            return Mono.empty();
        }
        String key = pendingKey(event.eventId(), event.deviceSeq());
        synchronized (pending) {
            Pending previous = pending.get(key);
            Limiter.Listener slot;
            if (previous != null) {
                // A resend of a pending event keeps its slot.
                previous.timer().dispose();
                slot = previous.slot();
            } else {
                // A new event needs one of the session's slots and one of the node's.
                if (pending.size() >= props.maxInflightEvents()) {
                    send(rejected(event.eventId(), event.deviceSeq(), RejectCode.BACKPRESSURE,
                            "too many events awaiting their ack"));
                    return Mono.empty();
                }
                Optional<Limiter.Listener> admitted = c.admission().tryAdmit();
                if (admitted.isEmpty()) {
                    send(rejected(event.eventId(), event.deviceSeq(), RejectCode.BACKPRESSURE,
                            "the server is at capacity; retry later"));
                    return Mono.empty();
                }
                slot = admitted.get();
            }
            pending.put(key, new Pending(Mono.delay(props.pendingTimeout())
                    .subscribe(t -> outcomeLost(event, "no outcome in time; resend the event")), slot));
        }
        InboundEvent inbound = InboundEvent.of(userId(), deviceId(), new Origin(c.nodeId(), sessionId()), now, event);
        // send() may block for metadata; off the event loop, but still one at a time so the order holds.
        return Mono.fromCallable(() -> c.publisher().event(inbound))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(future -> future.whenComplete((r, e) -> {
                    if (e != null) {
                        notProduced(event, e);
                    }
                }))
                .onErrorResume(e -> {
                    notProduced(event, e);
                    return Mono.empty();
                })
                .then();
    }

    /**
     * The event did not reach {@code events.inbound}. Later events of this session must not be
     * stored past it (its resend would then be {@code non_monotonic_device_seq}), so the session
     * ends with 1013 and the device resends everything unacknowledged, in order, after reconnecting.
     */
    private void notProduced(ClientFrame.SendEvent event, Throwable error) {
        log.warn("event not produced: {}", error.toString());
        outcomeLost(event, "the event could not be accepted; reconnect and resend it");
        close(CloseCodes.TRY_AGAIN_LATER, "event log unreachable");
    }

    /** Frees the event's slot and tells the client to resend (a stored event then answers duplicate). */
    private void outcomeLost(ClientFrame.SendEvent event, String message) {
        if (release(pendingKey(event.eventId(), event.deviceSeq()), Release.LOST)) {
            send(rejected(event.eventId(), event.deviceSeq(), RejectCode.UNAVAILABLE, message));
        }
    }

    private ServerFrame.EventRejected rejected(String eventId, Long deviceSeq, RejectCode code, String message) {
        return new ServerFrame.EventRejected(eventId, deviceSeq, code.wire(), message, props.retryAfter().toMillis());
    }

    private boolean release(String key, Release how) {
        Pending released = pending.remove(key);
        if (released == null) {
            return false;
        }
        released.timer().dispose();
        switch (how) {
            case OUTCOME -> released.slot().onSuccess();
            case LOST -> released.slot().onDropped();
            case SESSION_ENDED -> released.slot().onIgnore();
        }
        return true;
    }

    private static String pendingKey(String eventId, Long deviceSeq) {
        return eventId + "#" + deviceSeq;
    }

    private Mono<Void> onAck(ClientFrame.Ack ack) {
        if (ack.seq() == null || ack.seq() < 0) {
            send(new ServerFrame.Error(ErrorCode.INVALID_REQUEST.wire(), "ack seq must be an integer >= 0"));
            return Mono.empty();
        }
        unsentAck.accumulateAndGet(ack.seq(), Math::max);
        if (ackFlushScheduled.compareAndSet(false, true)) {
            timers.add(Mono.delay(props.ackFlushInterval()).subscribe(t -> {
                ackFlushScheduled.set(false);
                flushAck().subscribe();
            }));
        }
        return Mono.empty();
    }

    /**
     * Writes the newest coalesced ack to {@code acks}, if there is one: acks are cumulative, so one
     * write per interval says all that the frames in between did.
     */
    private Mono<Void> flushAck() {
        long seq = unsentAck.getAndSet(-1);
        if (seq < 0) {
            return Mono.empty();
        }
        DeviceAck record = new DeviceAck(Topics.SCHEMA_VERSION, userId(), deviceId(), seq, c.clock().millis());
        return Mono.fromCallable(() -> c.publisher().ack(record))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(future -> future.whenComplete((r, e) -> {
                    if (e != null) {
                        log.warn("ack not produced: {}", e.toString());
                    }
                }))
                .onErrorResume(e -> {
                    // The next cumulative ack carries it again.
                    log.warn("ack not produced: {}", e.toString());
                    return Mono.empty();
                })
                .then();
    }

    private Mono<Void> onReplay(ClientFrame.ReplayRequest request) {
        int limit = request.limit() == null ? c.limits().replayDefaultLimit() : request.limit();
        if (limit < 1 || limit > c.limits().replayMaxLimit()) {
            send(new ServerFrame.Error(ErrorCode.INVALID_REQUEST.wire(),
                    "limit must be between 1 and " + c.limits().replayMaxLimit()));
            return Mono.empty();
        }
        if (!replaying.compareAndSet(false, true)) {
            c.rateLimits().replayRefused();
            send(new ServerFrame.Error(ErrorCode.RATE_LIMITED.wire(),
                    "a replay is already in progress; wait for its answer"));
            return Mono.empty();
        }
        EventServiceClient.ClientReplay replay = new EventServiceClient.ClientReplay(request.requestId(),
                request.afterSeq(), limit, request.continuationToken());
        // Not awaited: a slow page must not hold up the events and acks behind it. A page that
        // arrives after the close is discarded by send().
        c.events().replay(userId(), deviceId(), replay)
                .doFinally(signal -> replaying.set(false))
                .subscribe(answer -> {
                    replaying.set(false); // before the answer can reach the client and it asks again
                    send(answer);
                });
        return Mono.empty();
    }

    // ---- deliveries (LocalSession) ---------------------------------------------------------------

    @Override
    public String sessionId() {
        return hello.reply().sessionId();
    }

    @Override
    public String userId() {
        return hello.hello().userId();
    }

    @Override
    public String deviceId() {
        return hello.hello().deviceId();
    }

    @Override
    public long checkedAtNanos() {
        return checkedAt;
    }

    @Override
    public void drain() {
        draining = true;
    }

    @Override
    public int pendingEvents() {
        return pending.size();
    }

    @Override
    public void deliverLive(ServerFrame.DeliveredEvent event) {
        // Keeps seq increasing per session and drops at-least-once repeats.
        long last = lastDeliveredSeq.get();
        while (event.seq() > last) {
            if (lastDeliveredSeq.compareAndSet(last, event.seq())) {
                emit(event, true);
                return;
            }
            last = lastDeliveredSeq.get();
        }
    }

    @Override
    public void deliverOutcome(ServerFrame frame) {
        switch (frame) {
            case ServerFrame.EventAck a -> release(pendingKey(a.eventId(), a.deviceSeq()), Release.OUTCOME);
            case ServerFrame.EventRejected r -> release(pendingKey(r.eventId(), r.deviceSeq()), Release.OUTCOME);
            default -> {
            }
        }
        send(frame);
    }

    // ---- outbound and closing --------------------------------------------------------------------

    private void send(ServerFrame frame) {
        emit(frame, false);
    }

    /**
     * Queues a frame. A live delivery that does not fit is dropped (the client sees the gap and
     * replays); any other frame that does not fit means the client stopped reading, so it is closed.
     */
    private void emit(ServerFrame frame, boolean droppable) {
        if (outbound.offer(frame) != Outbound.Offer.FULL) {
            return;
        }
        if (droppable) {
            c.ledger().dropped();
            log.debug("outbound buffer of session {} full; dropped a live delivery", sessionId());
        } else {
            close(CloseCodes.TRY_AGAIN_LATER, "outbound buffer full");
        }
    }

    private Mono<Void> fail(ErrorCode code, String message, int closeCode) {
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
        c.framesTooBig().increment();
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
            unsentAck.set(-1);
        }
        if (outbound.close(new CloseStatus(closeCode, reason))) {
            guard.closing();
        }
    }

    /** Runs once the connection is over, whoever ended it. */
    private void finish() {
        boolean wasRegistered;
        synchronized (this) {
            state = State.CLOSED;
            wasRegistered = registered;
            registered = false;
        }
        outbound.finish();
        timers.dispose();
        if (hello != null) {
            flushAck().subscribe(); // the cursor a reconnect starts from
        }
        List.copyOf(pending.keySet()).forEach(key -> release(key, Release.SESSION_ENDED));
        if (wasRegistered) {
            c.registry().unregister(this);
        }
    }

    State state() {
        return state;
    }

}
