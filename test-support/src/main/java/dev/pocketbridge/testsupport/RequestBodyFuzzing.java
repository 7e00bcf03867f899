package dev.pocketbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.pocketbridge.testsupport.HttpTestClient.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Sends generated request bodies to a service under test and checks what every answer must be, however
 * malformed the request: a 2xx, or a 4xx problem detail with a {@code code}, never a 5xx; and after a
 * refusal no table holds more rows than before.
 */
public final class RequestBodyFuzzing {

    /** How a body goes over the wire: its {@code Content-Type} (none when null) and the charset of its bytes. */
    public record Encoding(String contentType, Charset charset) {

        byte[] bytes(String text) {
            return text.getBytes(charset);
        }
    }

    /** Mostly JSON in UTF-8; sometimes Latin-1 bytes claimed as UTF-8, other media types, or none. */
    public static Arbitrary<Encoding> encodings() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(new Encoding("application/json", StandardCharsets.UTF_8))),
                Tuple.of(2, Arbitraries.of(
                        new Encoding("application/json", StandardCharsets.ISO_8859_1),
                        new Encoding("application/json; charset=ISO-8859-1", StandardCharsets.ISO_8859_1),
                        new Encoding("application/json; charset=UTF-16", StandardCharsets.UTF_8),
                        new Encoding("text/plain", StandardCharsets.UTF_8),
                        new Encoding("application/x-www-form-urlencoded", StandardCharsets.UTF_8),
                        new Encoding(null, StandardCharsets.UTF_8))));
    }

    /** The row count of each of {@code tables}, read when called: what {@link #RequestBodyFuzzing} compares. */
    public static Supplier<Map<String, Long>> rowCounts(JdbcClient jdbc, List<String> tables) {
        return () -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String table : tables) {
                counts.put(table, jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single());
            }
            return counts;
        };
    }

    /** A JSON object body from member names and values, in order: {@code body("a", 1, "b", "x")}. */
    public static Map<String, Object> body(Object... membersAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < membersAndValues.length; i += 2) {
            body.put((String) membersAndValues[i], membersAndValues[i + 1]);
        }
        return body;
    }

    private final HttpTestClient http;
    private final Supplier<Map<String, Long>> rowCounts;

    /** @param rowCounts the row count of each table the requests could write to */
    public RequestBodyFuzzing(HttpTestClient http, Supplier<Map<String, Long>> rowCounts) {
        this.http = http;
        this.rowCounts = rowCounts;
    }

    /** Sends {@code body} and asserts the answer; a refused request must have stored nothing. */
    public Response send(String method, String path, String body, Encoding encoding, String... headers) {
        Map<String, Long> before = rowCounts.get();
        Response response = http.send(method, path, encoding.contentType(), encoding.bytes(body), headers);
        HttpTestClient.assertSuccessOrClientProblem(response);
        if (response.status() >= 400) {
            Map<String, Long> after = rowCounts.get();
            before.forEach((table, rows) -> assertThat(after.get(table))
                    .as("rows in %s after %d %s", table, response.status(), response.raw().body())
                    .isLessThanOrEqualTo(rows));
        }
        return response;
    }
}
