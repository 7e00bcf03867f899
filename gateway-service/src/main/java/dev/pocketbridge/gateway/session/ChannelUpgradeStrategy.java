package dev.pocketbridge.gateway.session;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * Spring's {@code ReactorNettyRequestUpgradeStrategy}, with a session of its own, a
 * {@link FrameSession}: it knows its Netty {@link Channel}, so the handler can put a
 * {@link FrameGuard} in front of the frame decoder before the first frame is read (Spring keeps the
 * channel to itself otherwise), and it sends Netty's frames as they are.
 * <p>
 * The session's {@link HandshakeInfo} holds only what a session's life needs, so that an idle
 * session keeps little (docs/performance.md, "Memory per idle session"): the upgrade request's
 * headers where Netty keeps them for the connection's life anyway, as the client sent them (Spring's
 * handshake info would keep a copy of them, of a filter's copy when a filter changed the request:
 * about 1.5 KiB), the request's URI shared with the sessions before it when it is the same, no
 * cookies (Spring's would parse them, and Reactor Netty keep what it parsed for the connection's
 * life; nothing here reads them) and no attributes (the gateway copies none of the exchange's into
 * its sessions), made here rather than by Spring's {@code handshakeInfoFactory}, which is not called.
 * The sessions share one buffer factory per allocator, too.
 */
final class ChannelUpgradeStrategy implements RequestUpgradeStrategy {

    private static final MultiValueMap<String, HttpCookie> NO_COOKIES =
            CollectionUtils.unmodifiableMultiValueMap(new LinkedMultiValueMap<>());

    private final Supplier<WebsocketServerSpec.Builder> spec;
    /** The URI and buffer factory of the latest session, which the next takes when they are the same as its own. */
    private final AtomicReference<URI> latestUri = new AtomicReference<>();
    private final AtomicReference<NettyDataBufferFactory> latestBuffers = new AtomicReference<>();

    ChannelUpgradeStrategy(Supplier<WebsocketServerSpec.Builder> spec) {
        this.spec = spec;
    }

    @Override
    public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, @Nullable String subProtocol,
            Supplier<HandshakeInfo> handshakeInfoFactory) {
        ServerHttpResponse response = exchange.getResponse();
        HttpServerResponse reactorResponse = ServerHttpResponseDecorator.getNativeResponse(response);
        ServerHttpRequest request = exchange.getRequest();
        HttpServerRequest upgrade = ServerHttpRequestDecorator.getNativeRequest(request);
        HttpHeaders sent = HttpHeaders.readOnlyHttpHeaders(new HttpHeaders(new Netty4HeadersAdapter(upgrade.requestHeaders())));
        HandshakeInfo handshakeInfo = new HandshakeInfo(shared(latestUri, request.getURI(), URI::equals), sent, NO_COOKIES,
                exchange.getPrincipal(), subProtocol, request.getRemoteAddress(), Map.of(), exchange.getLogPrefix());
        NettyDataBufferFactory bufferFactory = shared(latestBuffers, (NettyDataBufferFactory) response.bufferFactory(),
                (mine, latest) -> mine.getByteBufAllocator() == latest.getByteBufAllocator());
        return response.setComplete().then(Mono.defer(() -> {
            WebsocketServerSpec.Builder builder = spec.get();
            if (subProtocol != null) {
                builder.protocols(subProtocol);
            }
            WebsocketServerSpec websocketSpec = builder.build();
            return reactorResponse.sendWebsocket((in, out) -> {
                FrameSession session = new FrameSession(in, out, handshakeInfo, bufferFactory,
                        websocketSpec.maxFramePayloadLength());
                return handler.handle(session);
            }, websocketSpec);
        }));
    }

    /** {@code mine}, or the latest one when it is the same; {@code mine} becomes the latest otherwise. */
    private static <T> T shared(AtomicReference<T> latest, T mine, BiPredicate<T, T> same) {
        T seen = latest.get();
        if (seen != null && same.test(mine, seen)) {
            return seen;
        }
        latest.set(mine);
        return mine;
    }

    /**
     * Spring's session over Reactor Netty, which can also be given Netty's frames to send, unconverted
     * ({@link OutboundQueue}): Spring's {@link #send} maps each message on its way, and the operator
     * keeps Reactor Netty from taking the frames straight from the caller's queue.
     */
    static final class FrameSession extends ReactorNettyWebSocketSession implements OutboundQueue.Output {

        private final Channel channel;

        FrameSession(WebsocketInbound inbound, WebsocketOutbound outbound, HandshakeInfo info,
                NettyDataBufferFactory bufferFactory, int maxFramePayloadLength) {
            super(inbound, outbound, info, bufferFactory, maxFramePayloadLength);
            AtomicReference<Channel> connection = new AtomicReference<>();
            inbound.withConnection(c -> connection.set(c.channel())); // called at once
            this.channel = connection.get();
        }

        /** The connection's Netty channel. */
        Channel channel() {
            return channel;
        }

        @Override
        public Mono<Void> sendFrames(Publisher<WebSocketFrame> frames) {
            return getDelegate().getOutbound().sendObject(frames).then();
        }
    }
}
