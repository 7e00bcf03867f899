package dev.pocketbridge.gateway.limits;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.pocketbridge.common.limits.KeyedBuckets;
import reactor.core.publisher.Mono;

/**
 * The per client address limits of the endpoints anyone can call without a token (PROTOCOL §2.1,
 * §2.2): each endpoint has its own bucket per address ({@link RateLimitProperties}); a request
 * beyond it is answered {@code 429 rate_limited} with {@code Retry-After} and never routed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2) // after the request id and the body limit
class AddressRateLimitFilter implements WebFilter {

    /** The limited endpoints. */
    enum Endpoint {
        CHALLENGE(HttpMethod.POST, "/api/v1/auth/challenge"),
        REGISTER(HttpMethod.POST, "/api/v1/devices/register"),
        TOKEN(HttpMethod.POST, "/api/v1/auth/token"),
        REFRESH(HttpMethod.POST, "/api/v1/auth/refresh"),
        PAIRING_LOOKUP(HttpMethod.GET, "/api/v1/pairing/{code}");

        private final HttpMethod method;
        private final PathPattern path;

        Endpoint(HttpMethod method, String path) {
            this.method = method;
            this.path = PathPatternParser.defaultInstance.parse(path);
        }

        static Endpoint of(ServerHttpRequest request) {
            PathContainer path = request.getPath().pathWithinApplication();
            for (Endpoint endpoint : values()) {
                if (endpoint.method.equals(request.getMethod()) && endpoint.path.matches(path)) {
                    return endpoint;
                }
            }
            return null;
        }
    }

    private final ClientAddresses addresses;
    private final Map<Endpoint, KeyedBuckets> buckets = new EnumMap<>(Endpoint.class);

    AddressRateLimitFilter(ClientAddresses addresses, RateLimitProperties p, Clock clock) {
        this.addresses = addresses;
        buckets.put(Endpoint.CHALLENGE, new KeyedBuckets(p.challenge(), p.period(), p.maxTrackedClients(), clock));
        buckets.put(Endpoint.REGISTER, new KeyedBuckets(p.register(), p.period(), p.maxTrackedClients(), clock));
        buckets.put(Endpoint.TOKEN, new KeyedBuckets(p.token(), p.period(), p.maxTrackedClients(), clock));
        buckets.put(Endpoint.REFRESH, new KeyedBuckets(p.refresh(), p.period(), p.maxTrackedClients(), clock));
        buckets.put(Endpoint.PAIRING_LOOKUP,
                new KeyedBuckets(p.pairingLookup(), p.period(), p.maxTrackedClients(), clock));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Endpoint endpoint = Endpoint.of(exchange.getRequest());
        if (endpoint == null) {
            return chain.filter(exchange);
        }
        InetAddress client = addresses.of(exchange.getRequest());
        if (client == null) {
            return chain.filter(exchange);
        }
        Duration wait = buckets.get(endpoint).tryTake(addresses.key(client));
        return wait == null ? chain.filter(exchange) : Mono.error(new RateLimitedException(wait));
    }
}
