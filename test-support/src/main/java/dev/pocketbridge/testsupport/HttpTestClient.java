package dev.pocketbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.IntSupplier;

import dev.pocketbridge.common.codec.Json;
import tools.jackson.databind.JsonNode;

/**
 * Real HTTP calls to a service under test (no MockMvc: the whole servlet stack, filters and
 * security included), and the one assertion of the RFC 9457 problem shape every service shares.
 */
public final class HttpTestClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final IntSupplier port;
    private final HttpClient http;

    /** @param port the service's port, read at each call (a {@code @LocalServerPort} is injected late) */
    public HttpTestClient(IntSupplier port) {
        this.port = port;
        this.http = HTTP;
    }

    /**
     * A client whose connections come from {@code localAddress} (e.g. {@code 127.0.0.7}: every
     * 127.x.y.z address is this machine), so per-address limits see a client of its own.
     */
    public HttpTestClient(IntSupplier port, InetAddress localAddress) {
        this.port = port;
        this.http = HttpClient.newBuilder().localAddress(localAddress).build();
    }

    /** An HTTP answer with its body parsed when it is JSON. */
    public record Response(int status, HttpResponse<String> raw) {

        public JsonNode json() {
            return Json.mapper().readTree(raw.body());
        }

        public String text(String field) {
            JsonNode node = json().get(field);
            return node == null || node.isNull() ? null : node.asString();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public Response delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), headers);
    }

    /** Sends {@code body} as JSON: a String as is, anything else through the wire JSON settings. */
    public Response post(String path, Object body, String... headers) {
        return withBody("POST", path, body, headers);
    }

    /** Sends {@code form} as {@code application/x-www-form-urlencoded} (already encoded). */
    public Response postForm(String path, String form, String... headers) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), headers);
    }

    public Response patch(String path, Object body, String... headers) {
        return withBody("PATCH", path, body, headers);
    }

    /** Sends {@code body} exactly as given, with {@code contentType} when it is not null (for malformed requests). */
    public Response send(String method, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, headers);
    }

    private Response withBody(String method, String path, Object body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(body))),
                headers);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port.getAsInt() + path);
    }

    /** A GET whose body is kept as bytes (a binary body, such as a CBOR replay page). */
    public HttpResponse<byte[]> getBytes(String path, String... headers) {
        return exchange(HttpRequest.newBuilder(uri(path)).GET(), HttpResponse.BodyHandlers.ofByteArray(), headers);
    }

    private Response send(HttpRequest.Builder request, String... headers) {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString(), headers);
        return new Response(response.statusCode(), response);
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body, String... headers) {
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts what any request, however malformed, may be answered: a 2xx, or a 4xx problem detail
     * of {@link #problemCode}'s shape with a stable {@code code}; never a 5xx.
     */
    public static void assertSuccessOrClientProblem(Response response) {
        assertThat(response.status() / 100).as("%d %s", response.status(), response.raw().body()).isIn(2, 4);
        if (response.status() >= 400) {
            assertThat(problemCode(response, response.status())).matches("[a-z]+(_[a-z]+)*");
        }
    }

    /**
     * Asserts the problem-detail shape of PROTOCOL.md §2 ({@code application/problem+json} with
     * {@code type, title, status, detail, code, request_id}, the request id echoed in
     * {@code X-Request-ID}) and returns the {@code code}.
     */
    public static String problemCode(Response response, int status) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.get("type").asString()).startsWith("https://");
        assertThat(body.has("title")).isTrue();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.has("detail")).isTrue();
        assertThat(body.get("request_id").asString()).isEqualTo(response.header("X-Request-ID"));
        return body.get("code").asString();
    }
}
