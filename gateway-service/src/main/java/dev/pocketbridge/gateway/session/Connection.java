package dev.pocketbridge.gateway.session;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
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
import io.netty.handler.codec.TooLongFrameException;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One WebSocket connection: the handshake state machine (AWAIT_HELLO → AWAIT_AUTH → ESTABLISHED)
 * and, once established, the session that sends events, acks and replay requests and receives
 * deliveries. Inbound frames are handled one at a time in arrival order; everything sent goes
 * through one bounded outbound queue, so frames from the deliveries thread, timers and Kafka
 * callbacks are serialized.
 */
final class Connection implements LocalSession {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    enum State { AWAIT_HELLO, AWAIT_AUTH, ESTABLISHED, CLOSED }

    /** Shared by every connection. */
    record Collaborators(Handshake handshake, DeviceDirectory directory, EventServiceClient events,
            InboundPublisher publisher, SessionRegistry registry, EventValidator validator,
            NodeAdmission admission, SessionProperties properties, int nodeId, Clock clock) {
    }

    private record Pending(Disposable timer, Limiter.Listener slot) {
    }

    /** How an event stopped being pending: what the admission limit learns from it. */
    private enum Release { OUTCOME, LOST, SESSION_ENDED }

    /** What the outbound queue carries: a text frame, or the request to close after what precedes it. */
    private sealed interface Out {
        record Text(String json) implements Out {
        }

        record Close(CloseStatus status) implements Out {
        }

        record Ping() implements Out {
        }
    }

    private final WebSocketSession ws;
    private final Collaborators c;
    private final SessionProperties props;
    private final Sinks.Many<Out> outbound;
    /** Events awaiting their outcome, by {@link #pendingKey}: the timer that gives up, and the node's admission slot. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong lastDeliveredSeq = new AtomicLong();
    /** The newest cumulative ack not yet written to {@code acks}; -1 when there is none. */
    private final AtomicLong unsentAck = new AtomicLong(-1);
    private final AtomicBoolean ackFlushScheduled = new AtomicBoolean();
    private final Disposable.Composite timers = Disposables.composite();
    private volatile State state = State.AWAIT_HELLO;
    /** When anything (a frame, a pong) last arrived; a connection silent for the idle timeout is dead. */
    private volatile long lastHeard;
    private volatile boolean draining;
    private volatile CloseStatus closeStatus;
    private boolean registered;
    private Handshake.HelloOutcome.Accepted hello;
    private Mono<DeviceLookup> lookup;

    Connection(WebSocketSession ws, Collaborators collaborators) {
        this.ws = ws;
        this.c = collaborators;
        this.props = collaborators.properties();
        this.outbound = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(props.outboundBuffer()));
    }

    /** Runs the connection until either side closes it. */
    Mono<Void> run() {
        lastHeard = System.nanoTime();
        timers.add(Mono.delay(props.handshakeTimeout()).subscribe(t -> handshakeTimedOut()));
        timers.add(Flux.interval(props.pingInterval()).subscribe(t -> ping()));
        Flux<WebSocketMessage> frames = outbound.asFlux()
                .takeUntil(out -> out instanceof Out.Close)
                .<WebSocketMessage>handle((out, sink) -> {
                    switch (out) {
                        case Out.Text(String json) -> sink.next(ws.textMessage(json));
                        case Out.Ping p -> sink.next(ws.pingMessage(factory -> factory.allocateBuffer(0)));
                        case Out.Close c -> {
                        }
                    }
                });
        Mono<Void> output = ws.send(frames).then(Mono.defer(() -> {
            CloseStatus status = closeStatus;
            return status == null ? Mono.empty() : ws.close(status);
        }));
        Mono<Void> input = ws.receive()
                .concatMap(this::onMessage)
                .then()
                .onErrorResume(this::inboundFailed)
                .doFinally(signal -> finish());
        return Mono.when(input, output).doFinally(signal -> finish());
    }

    // ---- inbound -------------------------------------------------------------------------------

    /**
     * A single oversized frame is closed with 1009 by Netty itself; a fragmented message that grows
     * past the limit surfaces here, and must not fail the handler (Reactor Netty would close 1002).
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
        lastHeard = System.nanoTime();
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
        FrameCodec.Decoded decoded = FrameCodec.decodeClient(message.getPayloadAsText());
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
        if (System.nanoTime() - lastHeard > props.idleTimeout().toNanos()) {
            close(CloseCodes.GOING_AWAY, "no answer to pings");
            return;
        }
        synchronized (this) {
            if (closeStatus == null) {
                // A full queue already means a slow reader; the next ping tries again.
                outbound.tryEmitNext(new Out.Ping());
            }
        }
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
        int limit = request.limit() == null ? props.replayDefaultLimit() : request.limit();
        if (limit < 1 || limit > props.replayMaxLimit()) {
            send(new ServerFrame.Error(ErrorCode.INVALID_REQUEST.wire(),
                    "limit must be between 1 and " + props.replayMaxLimit()));
            return Mono.empty();
        }
        EventServiceClient.ClientReplay replay = new EventServiceClient.ClientReplay(request.requestId(),
                request.afterSeq(), limit, request.continuationToken());
        // Not awaited: a slow page must not hold up the events and acks behind it. A page that
        // arrives after the close is discarded by send().
        c.events().replay(userId(), deviceId(), replay).subscribe(this::send);
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
        Sinks.EmitResult result;
        synchronized (this) {
            if (closeStatus != null) {
                return;
            }
            result = outbound.tryEmitNext(new Out.Text(FrameCodec.encode(frame)));
        }
        if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
            if (droppable) {
                log.debug("outbound buffer of session {} full; dropped a live delivery", sessionId());
            } else {
                close(CloseCodes.TRY_AGAIN_LATER, "outbound buffer full");
            }
        }
    }

    private Mono<Void> fail(ErrorCode code, String message, int closeCode) {
        send(new ServerFrame.Error(code.wire(), message));
        close(closeCode, message);
        return Mono.empty();
    }

    @Override
    public void close(int closeCode, String reason) {
        CloseStatus status = new CloseStatus(closeCode, reason);
        Sinks.EmitResult result;
        synchronized (this) {
            if (closeStatus != null) {
                return;
            }
            closeStatus = status;
            state = State.CLOSED;
            result = outbound.tryEmitNext(new Out.Close(status));
        }
        if (result.isFailure()) {
            // The queue is full or gone: close without flushing it.
            ws.close(status).subscribe(null, e -> log.debug("closing an already closed connection: {}", e.toString()));
        }
    }

    /** Runs once the connection is over, whoever ended it. */
    private void finish() {
        boolean wasRegistered;
        synchronized (this) {
            state = State.CLOSED;
            if (closeStatus == null) {
                closeStatus = CloseStatus.NORMAL;
            }
            outbound.tryEmitComplete();
            wasRegistered = registered;
            registered = false;
        }
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
