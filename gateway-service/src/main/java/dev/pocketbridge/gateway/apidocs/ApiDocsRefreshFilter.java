package dev.pocketbridge.gateway.apidocs;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Before springdoc answers {@code GET /v3/api-docs} (and its YAML form), the services' parts are
 * brought up to date without blocking ({@link ServiceDescriptions#refreshIfStale}), so the merge
 * that runs inside springdoc ({@link GatewayApiDescription}) only reads what is there.
 */
@Component
class ApiDocsRefreshFilter implements WebFilter {

    private final ServiceDescriptions descriptions;
    private final String path;

    ApiDocsRefreshFilter(ServiceDescriptions descriptions, @Value("${springdoc.api-docs.path:/v3/api-docs}") String path) {
        this.descriptions = descriptions;
        this.path = path;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String requested = exchange.getRequest().getPath().pathWithinApplication().value();
        if (HttpMethod.GET.equals(exchange.getRequest().getMethod())
                && (requested.equals(path) || requested.equals(path + ".yaml"))) {
            return descriptions.refreshIfStale().then(chain.filter(exchange));
        }
        return chain.filter(exchange);
    }
}
