package dev.pocketbridge.gateway.app;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Security headers of every answer under {@code /app} (the browser device), its errors included.
 * The Content-Security-Policy allows only the page's own scripts, styles and images, requests to
 * its own origin ({@code 'self'} covers the same-origin {@code ws:}/{@code wss:} of {@code /ws}),
 * blob URLs for received files, no framing, no plugins, and no string-to-DOM sinks (Trusted Types).
 * {@code no-cache}: a browser revalidates each file, so a new gateway version is picked up at once.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class BrowserAppHeaders implements WebFilter {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' blob: data:",
            "connect-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "require-trusted-types-for 'script'",
            "trusted-types 'none'");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.equals("/app") || path.startsWith(BrowserAppConfiguration.PATH)) {
            exchange.getResponse().beforeCommit(() -> {
                HttpHeaders headers = exchange.getResponse().getHeaders();
                headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                headers.set("X-Content-Type-Options", "nosniff");
                headers.set("X-Frame-Options", "DENY");
                headers.set("Referrer-Policy", "no-referrer");
                headers.set("Cross-Origin-Opener-Policy", "same-origin");
                headers.set("Cross-Origin-Resource-Policy", "same-origin");
                headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
                headers.set(HttpHeaders.CACHE_CONTROL, "no-cache");
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }
}
