package dev.pocketbridge.gateway.session;

import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.routing.LocalSession;
import reactor.core.publisher.Mono;

/**
 * The frames of an established session, switched to their handlers: {@code event} to its
 * {@link InflightEvents}, {@code ack} to its {@link CoalescedAcks}, {@code replay_request} to its
 * {@link Replays}. A frame that is not valid is answered ({@code event_rejected} for an event,
 * else {@code error}) and the session goes on; a second handshake ends it.
 */
final class SessionFrames {

    private final LocalSession session;
    private final InflightEvents inflight;
    private final CoalescedAcks acks;
    private final Replays replays;
    private final Consumer<ServerFrame> send;
    private final Supplier<Mono<Void>> handshakeAgain;

    SessionFrames(LocalSession session, InflightEvents inflight, CoalescedAcks acks, Replays replays,
            Consumer<ServerFrame> send, Supplier<Mono<Void>> handshakeAgain) {
        this.session = session;
        this.inflight = inflight;
        this.acks = acks;
        this.replays = replays;
        this.send = send;
        this.handshakeAgain = handshakeAgain;
    }

    /** Handles one frame; completes when the next one may be handled. */
    Mono<Void> handle(FrameCodec.Decoded decoded) {
        return switch (decoded) {
            case FrameCodec.Decoded.Invalid(String type, String eventId, Long deviceSeq, String reason) -> {
                if ("event".equals(type)) {
                    send.accept(new ServerFrame.EventRejected(eventId, deviceSeq, RejectCode.INVALID_EVENT.wire(),
                            reason, null));
                } else {
                    send.accept(new ServerFrame.Error(ErrorCode.PROTOCOL_ERROR.wire(), reason));
                }
                yield Mono.empty();
            }
            case FrameCodec.Decoded.Valid(ClientFrame frame) -> switch (frame) {
                case ClientFrame.ClientHello h -> handshakeAgain.get();
                case ClientFrame.ClientAuth a -> handshakeAgain.get();
                case ClientFrame.SendEvent e -> inflight.take(e);
                case ClientFrame.Ack a -> ack(a);
                case ClientFrame.ReplayRequest r -> replay(r);
            };
        };
    }

    private Mono<Void> ack(ClientFrame.Ack ack) {
        if (ack.seq() == null || ack.seq() < 0) {
            send.accept(new ServerFrame.Error(ErrorCode.INVALID_REQUEST.wire(), "ack seq must be an integer >= 0"));
        } else {
            acks.ack(ack.seq());
        }
        return Mono.empty();
    }

    private Mono<Void> replay(ClientFrame.ReplayRequest request) {
        replays.request(session.userId(), session.deviceId(), request);
        return Mono.empty();
    }
}
