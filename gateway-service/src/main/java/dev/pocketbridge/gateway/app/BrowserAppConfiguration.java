package dev.pocketbridge.gateway.app;

import java.net.URI;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The browser device (docs/browser-device.md): static HTML, CSS and JavaScript modules from
 * {@code classpath:/app/}, served at {@code /app/}. {@code /app} redirects to {@code /app/} (so the
 * page's relative URLs resolve), {@code /app/} is {@code index.html}, and {@code /app/**} the other
 * files. The router functions are mapped ahead of the gateway's routes; nothing here is routed to a
 * service. {@link BrowserAppHeaders} adds the security headers.
 */
@Configuration(proxyBeanMethods = false)
class BrowserAppConfiguration {

    static final String PATH = "/app/";
    private static final Resource ROOT = new ClassPathResource("app/");
    private static final Resource INDEX = new ClassPathResource("app/index.html");

    @Bean
    RouterFunction<ServerResponse> browserApp() {
        return RouterFunctions.route()
                .GET("/app", request -> ServerResponse.permanentRedirect(URI.create(PATH)).build())
                .GET(PATH, request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(INDEX))
                .add(RouterFunctions.resources("/app/**", ROOT))
                .build();
    }
}
