package dev.pocketbridge.e2e;

import static dev.pocketbridge.e2e.Fixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.testsupport.SharedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The names the alert rules (deploy/prometheus/alerts.yml) and the Grafana dashboard
 * (deploy/grafana/pocketbridge-dashboard.json) use exist: after some traffic (sessions, an event
 * acknowledged, an unreadable ack dead-lettered), every service's
 * {@code /actuator/prometheus} is scraped and each metric they query is published by one of them;
 * and the gateway's own meters moved.
 */
class MetricsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> SCRAPED = List.of("gateway-0", "gateway-1", "auth-service", "device-service",
            "event-service", "relay-service");
    /** Made by Prometheus itself, not by a service. */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up");
    /** A sample line of the exposition format: name, labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset");

    private static RunningSystem system;

    @BeforeAll
    static void system() {
        system = RunningSystem.get();
    }

    @Test
    void everyMetricOfTheAlertsAndTheDashboardIsPublishedAndTheGatewayCountsItsTraffic() throws Exception {
        Device sender = Fixture.newUser(0, "metrics");
        Device receiver = Fixture.pairedWith(sender, 0, "metrics-peer");
        try (DeviceSession s = sender.connect(); DeviceSession r = receiver.connect()) {
            assertThat(s.sendAndAwait(s.newEvent("clipboard", "clip.v1", new byte[32]), WAIT))
                    .isInstanceOf(ServerFrame.EventAck.class);
        }
        deadLetterAnAck();
        Set<String> used = new TreeSet<>();
        used.addAll(metricsOfAlerts());
        used.addAll(metricsOfDashboard());
        used.removeAll(FROM_PROMETHEUS);
        assertThat(used).contains("pocketbridge_gateway_events_ack_latency_seconds_bucket",
                "pocketbridge_kafka_consumer_lag", "hikaricp_connections_pending");

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, Double> published = new HashMap<>();
            for (String service : SCRAPED) {
                scrape(service).forEach((series, value) -> published.merge(series, value, Double::sum));
            }
            Set<String> names = new TreeSet<>();
            published.keySet().forEach(series -> names.add(series.replaceFirst("\\{.*", "")));
            assertThat(names).as("every metric the alerts and the dashboard use").containsAll(used);
            assertThat(sum(published, "pocketbridge_gateway_events_accepted_total")).isPositive();
            assertThat(sum(published, "pocketbridge_gateway_events_ack_latency_seconds_count")).isPositive();
            assertThat(sum(published, "pocketbridge_gateway_handshakes_total{outcome=\"ok\"")).isGreaterThanOrEqualTo(2);
            assertThat(sum(published, "pocketbridge_kafka_dead_letter_records_total{topic=\"acks.dlt\"")).isPositive();
            assertThat(published.keySet()).anySatisfy(series -> assertThat(series)
                    .startsWith("pocketbridge_kafka_consumer_lag{").contains("listener=\"gateway-deliveries\""));
            assertThat(published.keySet()).anySatisfy(series -> assertThat(series)
                    .startsWith("pocketbridge_kafka_consumer_lag{").contains("listener=\"device-activity\""));
            // The event path's per-record observations are timed beside the containers' own timers.
            assertThat(published.keySet()).anySatisfy(series -> assertThat(series)
                    .startsWith("pocketbridge_kafka_record_seconds_count{").contains("events.inbound"));
        });
    }

    /** An ack record no one can read: event-service sets it aside in {@code acks.dlt}. */
    private static void deadLetterAnAck() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.ACKS, "00000000-0000-4000-8000-00000000e2e0", "{not json")).get();
        }
    }

    /** The values of the series whose name and labels start with {@code prefix}, summed. */
    private static double sum(Map<String, Double> published, String prefix) {
        return published.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Each series of a service's scrape (name and labels) with its value. */
    private static Map<String, Double> scrape(String service) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(system.managementUrl(service)
                + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(service).isEqualTo(200);
        Map<String, Double> series = new HashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                series.merge(m.group(1) + (m.group(2) == null ? "" : m.group(2)), parse(m.group(3)), Double::sum);
            }
        }
        return series;
    }

    private static double parse(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> metricsOfAlerts() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(repository("deploy/prometheus/alerts.yml")));
        Set<String> names = new TreeSet<>();
        for (Object group : (List<Object>) rules.get("groups")) {
            for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                names.addAll(metricsOf((String) ((Map<String, Object>) rule).get("expr")));
            }
        }
        return names;
    }

    private static Set<String> metricsOfDashboard() throws IOException {
        JsonNode dashboard = Json.mapper().readTree(Files.readString(
                repository("deploy/grafana/pocketbridge-dashboard.json")));
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            JsonNode targets = panel.get("targets");
            if (targets != null) {
                targets.forEach(t -> names.addAll(metricsOf(t.get("expr").asString())));
            }
        }
        return names;
    }

    /**
     * The metric names of a PromQL expression: what is left once label matchers, ranges, strings,
     * grouping clauses, function calls, keywords and numbers are taken out.
     */
    static Set<String> metricsOf(String promql) {
        String bare = promql.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ").replaceAll("\"[^\"]*\"", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Matcher identifiers = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(bare);
        Set<String> names = new TreeSet<>();
        while (identifiers.find()) {
            String token = identifiers.group();
            if (!token.endsWith("(") && !PROMQL_WORDS.contains(token)) {
                names.add(token);
            }
        }
        return names;
    }

    private static Path repository(String path) {
        return RunningSystem.root().resolve(path);
    }
}
