package dev.pocketbridge.gateway.limits;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The largest request body per route ({@link BodyLimitProperties}), answered {@code 413
 * payload_too_large} before the body is read: a declared {@code Content-Length} above the limit is
 * refused from the headers alone (and a body within it cannot grow past it: HTTP framing ends it
 * there); a body of unknown length ({@code Transfer-Encoding: chunked}) is read up to the limit and
 * no further, then forwarded with its length, so no service ever sees more than the limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // right after the request id, before anything routes or reads
class BodyLimitFilter implements WebFilter {

    private final long defaultMax;
    private final List<Map.Entry<PathPattern, Long>> byPath;

    BodyLimitFilter(BodyLimitProperties properties) {
        this.defaultMax = properties.maxBodySize().toBytes();
        this.byPath = properties.byPath().entrySet().stream()
                .map(e -> Map.entry(PathPatternParser.defaultInstance.parse(e.getKey()), e.getValue().toBytes()))
                .sorted(Comparator.comparing(Map.Entry::getKey, PathPattern.SPECIFICITY_COMPARATOR))
                .toList();
    }

    /** The limit of the route at {@code path}: the most specific matching pattern's, else the default. */
    long maxFor(PathContainer path) {
        for (Map.Entry<PathPattern, Long> entry : byPath) {
            if (entry.getKey().matches(path)) {
                return entry.getValue();
            }
        }
        return defaultMax;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        long max = maxFor(request.getPath().pathWithinApplication());
        long length = headers.getContentLength();
        if (length > max) {
            return Mono.error(tooLarge(max));
        }
        if (length >= 0 || !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            return chain.filter(exchange);
        }
        return DataBufferUtils.join(request.getBody(), (int) Math.min(max, Integer.MAX_VALUE))
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge(max))
                .map(BodyLimitFilter::bytesOf)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> chain.filter(exchange.mutate()
                        .request(withLength(request, exchange.getResponse().bufferFactory(), body)).build()));
    }

    private static byte[] bytesOf(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** The request with {@code body} read in full: a {@code Content-Length} instead of chunks. */
    private static ServerHttpRequest withLength(ServerHttpRequest request, DataBufferFactory buffers, byte[] body) {
        ServerHttpRequest sized = request.mutate().headers(h -> {
            h.remove(HttpHeaders.TRANSFER_ENCODING);
            h.setContentLength(body.length);
        }).build();
        return new ServerHttpRequestDecorator(sized) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(buffers.wrap(body)));
            }
        };
    }

    private static BodyTooLargeException tooLarge(long max) {
        return new BodyTooLargeException(max);
    }
}
