package dev.pocketbridge.gateway.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.gateway.StubServices;
import dev.pocketbridge.testsupport.ApiDescriptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The merged REST API description at {@code /v3/api-docs}: the services' parts are their committed
 * copies (docs/openapi/, which each service's test holds to its code), served by the stub.
 */
class ApiDescriptionIntegrationTest extends GatewayIntegrationTest {

    private static final Path PROTOCOL = Path.of("..", "docs", "protocol.md");
    private static final List<String> OWN = List.of("GET /api/v1/server-info", "GET /health");

    @Autowired
    private RouteDefinitionLocator routes;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode merged() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiDescriptions.parse(response.body());
    }

    @Test
    void holdsEveryOperationAndComponentOfEveryServiceAndTheGatewaysOwn() throws Exception {
        JsonNode merged = merged();
        Set<String> operations = ApiDescriptions.operations(merged);
        for (String service : StubServices.DESCRIBED_SERVICES) {
            JsonNode part = ApiDescriptions.committed(service);
            assertThat(operations).as(service).containsAll(ApiDescriptions.operations(part));
            assertThat(merged.get("components").get("schemas").propertyNames()).as(service)
                    .containsAll(part.get("components").get("schemas").propertyNames());
            assertThat(merged.get(ApiDocsMerger.PARTS).get(service).get("status").asString()).as(service).isEqualTo("ok");
        }
        assertThat(operations).containsAll(OWN);
        assertThat(merged.get("components").get("securitySchemes").propertyNames())
                .containsExactlyInAnyOrder("deviceBearer", "adminBearer", "adminBasic");
        assertThat(merged.has(ApiDocsMerger.PROBLEMS)).as("%s", merged.get(ApiDocsMerger.PROBLEMS)).isFalse();
    }

    @Test
    void listsTheSameOperationsAsTheEndpointTablesOfTheProtocol() throws Exception {
        assertThat(ApiDescriptions.operations(merged())).isEqualTo(ApiDescriptions.protocolOperations(PROTOCOL));
    }

    @Test
    void routesEveryDescribedPathToTheServiceThatDescribesItAndTheGatewaysOwnToNone() throws Exception {
        List<RouteDefinition> all = routes.getRouteDefinitions().collectList().block();
        for (String service : StubServices.DESCRIBED_SERVICES) {
            for (String path : ApiDescriptions.committed(service).get("paths").propertyNames()) {
                assertThat(routesOf(all, path)).as(path).containsExactly(service);
            }
        }
        for (String own : OWN) {
            assertThat(routesOf(all, own.split(" ")[1])).as(own).isEmpty();
        }
    }

    private static Set<String> routesOf(List<RouteDefinition> all, String path) {
        PathContainer sample = PathContainer.parsePath(path.replaceAll("\\{[^}/]+}", "x"));
        Set<String> ids = new TreeSet<>();
        for (RouteDefinition route : all) {
            route.getPredicates().stream().filter(p -> "Path".equals(p.getName()))
                    .flatMap(p -> p.getArgs().values().stream())
                    .flatMap(v -> List.of(v.split(",")).stream())
                    .filter(pattern -> PathPatternParser.defaultInstance.parse(pattern.trim()).matches(sample))
                    .findAny().ifPresent(p -> ids.add(route.getId()));
        }
        return ids;
    }

    @Test
    void describesEveryOperationWithSchemasProblemsAndExamples() throws Exception {
        JsonNode merged = merged().deepCopy();
        // /health answers 503 with its own body, not a problem.
        ((ObjectNode) merged.get("paths")).remove("/health");
        ApiDescriptions.assertComplete(merged);
        for (String own : OWN) {
            String path = own.split(" ")[1];
            assertThat(merged().get("paths").get(path).get("get").get("security")).as(own).isEmpty();
        }
    }

    @Test
    void swaggerUiShowsTheMergedDescriptionWithoutAToken() throws Exception {
        HttpResponse<String> page = get("/swagger-ui.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
        HttpResponse<String> config = get("/v3/api-docs/swagger-config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(ApiDescriptions.parse(config.body()).get("url").asString()).isEqualTo("/v3/api-docs");
    }

    @Test
    void namesAPartThatCannotBeFetchedAndKeepsItsLastCopy() throws Exception {
        merged();
        STUB.failingDescriptions.add("event-service");
        try {
            JsonNode merged = merged();
            JsonNode part = merged.get(ApiDocsMerger.PARTS).get("event-service");
            assertThat(part.get("status").asString()).isEqualTo("stale");
            assertThat(part.get("problem").asString()).contains("503");
            assertThat(ApiDescriptions.operations(merged)).contains("GET /api/v1/events");
            assertThat(merged.get("info").get("description").asString()).contains("incomplete", "event-service");
        } finally {
            STUB.failingDescriptions.remove("event-service");
        }
        assertThat(merged().get(ApiDocsMerger.PARTS).get("event-service").get("status").asString()).isEqualTo("ok");
    }
}
