package dev.pocketbridge.gateway.session;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

import reactor.netty.http.server.WebsocketServerSpec;

/** Maps {@code /ws} ahead of the gateway's routes, with the frame size limit of PROTOCOL §3. */
@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration {

    @Bean
    HandlerMapping webSocketHandlerMapping(SessionHandler handler) {
        // Before RoutePredicateHandlerMapping (order 1) and the annotated controllers (order 0).
        return new SimpleUrlHandlerMapping(Map.of("/ws", handler), Ordered.HIGHEST_PRECEDENCE);
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
