package dev.pocketbridge.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * An OTLP/HTTP trace receiver on loopback, where the end-to-end system's services export their
 * spans ({@link #serviceArguments()}): every span it is sent, in the order received, with the name
 * of the service that sent it. One per test JVM, started with the shared system; holds at most
 * {@value #MAX_SPANS} spans (the later ones are counted, not kept).
 */
final class OtlpReceiver {

    private static final int MAX_SPANS = 500_000;
    private static OtlpReceiver instance;

    /** One received span: ids in lowercase hex, the parent id empty for a root. */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name,
            Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Span> spans = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();

    private OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", this::export);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    static synchronized OtlpReceiver shared() {
        if (instance == null) {
            try {
                instance = new OtlpReceiver();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** What makes a service export every trace here, at once (every half second). */
    List<String> serviceArguments() {
        return List.of(
                "--management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:"
                        + server.getAddress().getPort() + "/v1/traces",
                "--management.tracing.sampling.probability=1.0",
                "--management.opentelemetry.tracing.export.schedule-delay=500ms");
    }

    /** The spans received so far that match. */
    List<Span> spans(Predicate<Span> match) {
        return spans.stream().filter(match).toList();
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            ExportTraceServiceRequest request;
            try (InputStream body = exchange.getRequestBody()) {
                request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            request.getResourceSpansList().forEach(this::keep);
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            if (response.length == 0) {
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(200, response.length);
                exchange.getResponseBody().write(response);
            }
        }
    }

    private void keep(ResourceSpans resource) {
        String service = strings(resource.getResource().getAttributesList()).get("service.name");
        for (ScopeSpans scope : resource.getScopeSpansList()) {
            for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                if (kept.incrementAndGet() <= MAX_SPANS) {
                    spans.add(new Span(service, hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
                            hex(span.getParentSpanId().toByteArray()), span.getName(), strings(span.getAttributesList())));
                }
            }
        }
    }

    private static Map<String, String> strings(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, a -> a.getValue().hasStringValue()
                ? a.getValue().getStringValue() : a.getValue().toString().strip(), (a, b) -> b));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
