package dev.pocketbridge.gateway.apidocs;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The services' parts of the REST API description, fetched from every service the gateway routes
 * to (its route's URI and {@code path}, or {@code locations}) at most every {@code refresh-after},
 * when the description is asked for. A part that cannot be fetched keeps its last copy, marked
 * stale; one never fetched is missing; either way the merged description says so ({@link ApiDocsMerger}).
 */
@Component
class ServiceDescriptions {

    private static final Logger log = LoggerFactory.getLogger(ServiceDescriptions.class);

    private final RouteDefinitionLocator routes;
    private final WebClient web;
    private final ApiDocsProperties properties;
    private final Clock clock;
    private final Map<String, ServicePart> parts = new ConcurrentHashMap<>();
    private volatile Map<String, List<String>> routedPaths = Map.of();
    private Instant refreshedAt;
    private Mono<Void> refreshing;

    ServiceDescriptions(RouteDefinitionLocator routes, @Qualifier("plainWebClient") WebClient plainWebClient,
            ApiDocsProperties properties, Clock clock) {
        this.routes = routes;
        this.web = plainWebClient;
        this.properties = properties;
        this.clock = clock;
    }

    /** The parts as last fetched, by service. */
    Map<String, ServicePart> parts() {
        return Map.copyOf(parts);
    }

    /** Completes once the parts are at most {@code refresh-after} old; callers meanwhile share one refresh. */
    synchronized Mono<Void> refreshIfStale() {
        if (refreshedAt != null && clock.instant().isBefore(refreshedAt.plus(properties.refreshAfter()))) {
            return Mono.empty();
        }
        if (refreshing == null) {
            refreshing = refresh().doFinally(signal -> done()).cache();
        }
        return refreshing;
    }

    private synchronized void done() {
        refreshing = null;
    }

    private Mono<Void> refresh() {
        return routes.getRouteDefinitions()
                .collectList()
                .doOnNext(all -> routedPaths = pathPatterns(all))
                .flatMapMany(Flux::fromIterable)
                .flatMap(this::fetch)
                .doOnNext(part -> parts.put(part.service(), part))
                .then(Mono.fromRunnable(() -> {
                    synchronized (this) {
                        refreshedAt = clock.instant();
                    }
                }));
    }

    private Mono<ServicePart> fetch(RouteDefinition route) {
        URI location = properties.locations().getOrDefault(route.getId(),
                URI.create(route.getUri().toString().replaceAll("/+$", "") + properties.path()));
        return web.get().uri(location)
                .retrieve()
                .bodyToMono(String.class)
                .timeout(properties.timeout())
                .map(body -> new ServicePart(route.getId(), read(body), clock.instant(), null))
                .onErrorResume(e -> {
                    String problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                    log.warn("the API description of {} cannot be fetched from {}: {}", route.getId(), location, problem);
                    ServicePart last = parts.get(route.getId());
                    return Mono.just(new ServicePart(route.getId(), last == null ? null : last.description(),
                            last == null ? null : last.fetchedAt(), problem));
                });
    }

    private static OpenAPI read(String body) {
        try {
            return Json31.mapper().readValue(body, OpenAPI.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not an OpenAPI description: " + e.getOriginalMessage(), e);
        }
    }

    /** The path patterns of each route ({@code Path} predicates), by route id, as of the last refresh. */
    Map<String, List<String>> routedPaths() {
        return routedPaths;
    }

    private static Map<String, List<String>> pathPatterns(List<RouteDefinition> all) {
        Map<String, List<String>> patterns = new LinkedHashMap<>();
        for (RouteDefinition route : all) {
            patterns.put(route.getId(), route.getPredicates().stream()
                    .filter(p -> "Path".equals(p.getName()))
                    .flatMap(p -> p.getArgs().values().stream())
                    .flatMap(v -> Arrays.stream(v.split(",")))
                    .map(String::trim)
                    .toList());
        }
        return patterns;
    }
}
