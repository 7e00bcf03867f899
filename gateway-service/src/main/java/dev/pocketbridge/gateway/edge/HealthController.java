package dev.pocketbridge.gateway.edge;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.gateway.ManagementUrls;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /health} (PROTOCOL §2.4): every service's readiness (on its management port) and the
 * Kafka cluster, each with a short timeout; 200 when all are UP, else 503.
 */
@RestController
@Tag(name = "Server")
class HealthController implements DisposableBean {

    static final String UP = "UP";
    static final String DOWN = "DOWN";
    private static final String READINESS = "/actuator/health/readiness";

    /** One component's state. */
    record Component(String status) {
    }

    /** The response body. */
    record Health(String status, Map<String, Component> components) {
    }

    private final WebClient web;
    private final EdgeProperties properties;
    private final Map<String, URI> services = new LinkedHashMap<>();
    private final KafkaAdmin kafkaAdmin;
    private volatile AdminClient admin;

    HealthController(@Qualifier("plainWebClient") WebClient plainWebClient, ManagementUrls urls, EdgeProperties properties, KafkaAdmin kafkaAdmin) {
        this.web = plainWebClient;
        this.properties = properties;
        this.kafkaAdmin = kafkaAdmin;
        services.put("auth-service", urls.auth());
        services.put("device-service", urls.device());
        services.put("event-service", urls.event());
        services.put("relay-service", urls.relay());
    }

    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "health", summary = "Every service's and Kafka's readiness",
            description = "`200` when every component is `UP`, else `503` with the same body.")
    @ApiResponse(responseCode = "200", description = "Every component is UP",
            content = @Content(schema = @Schema(implementation = Health.class)))
    @ApiResponse(responseCode = "503", description = "A component is DOWN",
            content = @Content(schema = @Schema(implementation = Health.class)))
    Mono<ResponseEntity<String>> health() {
        List<Mono<Map.Entry<String, Component>>> checks = new java.util.ArrayList<>();
        services.forEach((name, uri) -> checks.add(service(uri).map(c -> Map.entry(name, c))));
        checks.add(kafka().map(c -> Map.entry("kafka", c)));
        return Flux.mergeSequential(checks).collectList().map(entries -> {
            Map<String, Component> components = new LinkedHashMap<>();
            entries.forEach(e -> components.put(e.getKey(), e.getValue()));
            boolean up = components.values().stream().allMatch(c -> UP.equals(c.status()));
            return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Json.write(new Health(up ? UP : DOWN, components)));
        });
    }

    private Mono<Component> service(URI base) {
        return web.get().uri(base.toString().replaceAll("/+$", "") + READINESS)
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().is2xxSuccessful()))
                .timeout(properties.healthTimeout())
                .map(ok -> new Component(ok ? UP : DOWN))
                .onErrorReturn(new Component(DOWN));
    }

    private Mono<Component> kafka() {
        int timeout = (int) properties.healthTimeout().toMillis();
        return Mono.fromCallable(this::admin)
                .flatMap(a -> Mono.fromCompletionStage(
                        a.describeCluster(new DescribeClusterOptions().timeoutMs(timeout)).nodes().toCompletionStage()))
                .timeout(properties.healthTimeout())
                .map(nodes -> new Component(nodes.isEmpty() ? DOWN : UP))
                .onErrorReturn(new Component(DOWN));
    }

    private AdminClient admin() {
        AdminClient a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> config = new LinkedHashMap<>(kafkaAdmin.getConfigurationProperties());
                    int timeout = (int) properties.healthTimeout().toMillis();
                    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
                    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
                    admin = AdminClient.create(config);
                }
                a = admin;
            }
        }
        return a;
    }

    @Override
    public void destroy() {
        AdminClient a = admin;
        if (a != null) {
            a.close();
        }
    }
}
