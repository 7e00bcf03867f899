package dev.pocketbridge.gateway.session;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

import io.micrometer.observation.ObservationPredicate;
import reactor.netty.http.server.WebsocketServerSpec;

/** Maps {@code /ws} ahead of the gateway's routes, with the frame size limit of PROTOCOL §3. */
@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration {

    private static final String WEB_SOCKET_PATH = "/ws";

    @Bean
    HandlerMapping webSocketHandlerMapping(SessionHandler handler) {
        // Before RoutePredicateHandlerMapping (order 1) and the annotated controllers (order 0).
        return new SimpleUrlHandlerMapping(Map.of(WEB_SOCKET_PATH, handler), Ordered.HIGHEST_PRECEDENCE);
    }

    /**
     * No observation of the {@code /ws} upgrade request: it would last as long as the session, and
     * every event of the session would join its trace; each event begins a trace of its own
     * ({@link InboundPublisher}).
     */
    @Bean
    ObservationPredicate noWebSocketRequestObservation() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && WEB_SOCKET_PATH.equals(request.getCarrier().getPath().value()));
    }

    @Bean
    WebFluxConfigurer webSocketServiceConfigurer(SessionProperties properties) {
        return new WebFluxConfigurer() {
            @Override
            public WebSocketService getWebSocketService() {
                // A backstop: FrameGuard refuses a message above the connection's limit (this one,
                // or the smaller one before session_established) from its header, before Netty's
                // decoder. No permessage-deflate: FrameGuard counts the bytes on the wire, which
                // compression would let expand behind its back.
                return new HandshakeWebSocketService(new ChannelUpgradeStrategy(
                        () -> WebsocketServerSpec.builder().maxFramePayloadLength(properties.maxFrameBytes())));
            }
        };
    }
}
