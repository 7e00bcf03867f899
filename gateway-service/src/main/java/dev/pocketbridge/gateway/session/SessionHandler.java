package dev.pocketbridge.gateway.session;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ErrorCode;
import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.gateway.handshake.DeviceDirectory;
import dev.pocketbridge.gateway.handshake.Handshake;
import dev.pocketbridge.gateway.routing.RoutingProperties;
import dev.pocketbridge.gateway.routing.SessionRegistry;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;
import reactor.core.publisher.Mono;
import tools.jackson.core.StreamReadConstraints;

/**
 * {@code /ws}: one {@link Connection} per WebSocket, wired to the shared collaborators, its
 * {@link FrameGuard} installed before anything is read, and counted against the handshake limit
 * of its client address.
 */
@Component
class SessionHandler implements WebSocketHandler {

    /** The longest JSON number a client frame has: an int64 with its sign. */
    private static final int MAX_NUMBER_LENGTH = String.valueOf(Long.MIN_VALUE).length();

    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    private final SessionCollaborators collaborators;
    private final SessionRateLimits rateLimits;

    SessionHandler(Handshake handshake, DeviceDirectory directory, EventServiceClient events,
            InboundPublisher publisher, SessionRegistry registry, SessionProperties properties,
            ProtocolLimitsProperties limits, NodeAdmission admission, SessionRateLimits rateLimits, OutboundLedger ledger,
            GatewayMetrics metrics, RoutingProperties routing, Clock clock) {
        EventValidator validator = new EventValidator(limits.maxPayloadBytes());
        this.rateLimits = rateLimits;
        this.collaborators = new SessionCollaborators(handshake, directory, events, publisher, registry,
                validator, FrameCodec.clientDecoder(constraints(properties)), admission, rateLimits, ledger,
                metrics, properties, limits, routing.nodeId(), clock);
    }

    /** JSON parsing limits of a client frame, from the frame limits. */
    static StreamReadConstraints constraints(SessionProperties properties) {
        return StreamReadConstraints.builder()
                .maxDocumentLength(properties.maxFrameBytes())
                .maxStringLength(properties.maxFrameBytes())
                .maxNestingDepth(properties.maxFrameDepth())
                .maxTokenCount(properties.maxFrameTokens())
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build();
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        if (!(session instanceof ChannelUpgradeStrategy.FrameSession frameSession)) {
            log.error("WebSocket session {} was not upgraded by ChannelUpgradeStrategy", session.getId());
            return session.close(CloseStatus.SERVER_ERROR);
        }
        Connection connection = new Connection(frameSession, collaborators);
        if (!FrameGuard.install(frameSession, connection.guard())) {
            log.error("no WebSocket frame decoder to guard in the pipeline of {}", session.getId());
            connection.refuse(ErrorCode.INTERNAL_ERROR, "internal error", CloseCodes.INTERNAL_ERROR);
        } else if (!rateLimits.admitHandshake(session.getHandshakeInfo().getRemoteAddress(),
                session.getHandshakeInfo().getHeaders())) {
            connection.refuse(ErrorCode.RATE_LIMITED, "too many handshakes from this address; retry later",
                    CloseCodes.TOO_MANY_HANDSHAKES);
        }
        return connection.run();
    }
}
