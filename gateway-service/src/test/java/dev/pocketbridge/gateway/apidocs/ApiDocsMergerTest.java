package dev.pocketbridge.gateway.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;

class ApiDocsMergerTest {

    private static OpenAPI part(String... paths) {
        Paths all = new Paths();
        for (String path : paths) {
            all.addPathItem(path, new PathItem().get(new Operation().operationId("op" + path.hashCode())));
        }
        return new OpenAPI().paths(all);
    }

    @SuppressWarnings("unchecked")
    private static String status(OpenAPI merged, String service) {
        return ((Map<String, Map<String, Object>>) merged.getExtensions().get(ApiDocsMerger.PARTS)).get(service).get("status")
                .toString();
    }

    @Test
    void namesAMissingPartAStaleOneAndPathsAServiceIsNotRoutedFor() {
        OpenAPI target = new OpenAPI().info(new Info().title("t"));
        Instant fetched = Instant.parse("2026-01-01T00:00:00Z");
        ApiDocsMerger.merge(target, Map.of(
                "event-service", new ServicePart("event-service", part("/api/v1/events", "/api/v1/elsewhere"), fetched, null),
                "device-service", new ServicePart("device-service", part("/api/v1/devices"), fetched, "connection refused")),
                Map.of("event-service", List.of("/api/v1/events"), "auth-service", List.of("/api/v1/auth/**"),
                        "device-service", List.of("/api/v1/devices/**")));
        assertThat(target.getPaths()).containsOnlyKeys("/api/v1/events", "/api/v1/devices");
        assertThat(target.getInfo().getDescription())
                .contains("auth-service's part is missing (not fetched yet)")
                .contains("device-service's part is the copy fetched at 2026-01-01T00:00:00Z (now: connection refused)")
                .contains("event-service describes /api/v1/elsewhere, which the gateway does not route to it");
        assertThat(status(target, "auth-service")).isEqualTo("missing");
        assertThat(status(target, "device-service")).isEqualTo("stale");
        assertThat(status(target, "event-service")).isEqualTo("ok");
    }

    @Test
    void keepsTheFirstOfTwoDifferentDescriptionsOfOnePathAndSaysSo() {
        OpenAPI target = new OpenAPI().info(new Info().title("t"));
        OpenAPI first = part("/api/v1/status");
        OpenAPI second = new OpenAPI().paths(new Paths().addPathItem("/api/v1/status",
                new PathItem().get(new Operation().operationId("other"))));
        ApiDocsMerger.merge(target, Map.of(
                "a-service", new ServicePart("a-service", first, Instant.now(), null),
                "b-service", new ServicePart("b-service", second, Instant.now(), null)),
                Map.of("a-service", List.of("/api/v1/status"), "b-service", List.of("/api/v1/status")));
        assertThat(target.getPaths().get("/api/v1/status")).isEqualTo(first.getPaths().get("/api/v1/status"));
        assertThat(target.getInfo().getDescription()).contains("/api/v1/status is described by b-service and by another part");
    }
}
