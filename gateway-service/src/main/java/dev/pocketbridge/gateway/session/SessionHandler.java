package dev.pocketbridge.gateway.session;

import java.time.Clock;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.gateway.handshake.DeviceDirectory;
import dev.pocketbridge.gateway.handshake.Handshake;
import dev.pocketbridge.gateway.routing.RoutingProperties;
import dev.pocketbridge.gateway.routing.SessionRegistry;
import reactor.core.publisher.Mono;

/** {@code /ws}: one {@link Connection} per WebSocket, wired to the shared collaborators. */
@Component
class SessionHandler implements WebSocketHandler {

    private final Connection.Collaborators collaborators;

    SessionHandler(Handshake handshake, DeviceDirectory directory, EventServiceClient events,
            InboundPublisher publisher, SessionRegistry registry, SessionProperties properties,
            NodeAdmission admission, RoutingProperties routing, Clock clock) {
        EventValidator validator = new EventValidator(properties.maxPayloadBytes(), properties.clockSkew().toMillis());
        this.collaborators = new Connection.Collaborators(handshake, directory, events, publisher, registry,
                validator, admission, properties, routing.nodeId(), clock);
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        return new Connection(session, collaborators).run();
    }
}
