package dev.pocketbridge.kafka;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

import dev.pocketbridge.common.ids.LogIds;

/**
 * What every service shares about traces and log lines, set once here (docs/tracing-and-logs.md):
 * <ul>
 * <li>spring-kafka's observations on every template and listener container, so each record produced
 * carries its trace in a W3C {@code traceparent} header and each record listener continues it (the
 * batch listeners do that through {@link RecordObservations}, under the same switch). Each costs
 * CPU per record even when nothing is sampled; turning both off trades the trace ids in Kafka
 * headers and listener log lines for throughput (docs/tracing-and-logs.md);</li>
 * <li>no W3C baggage: nothing of PocketBridge's puts baggage in a trace, and carrying it costs every
 * record and request a propagator and a logging-context listener ({@value #BAGGAGE}). Nor a
 * long-task timer per observation ({@value #IGNORED_METERS}): no dashboard or alert reads the
 * {@code *.active} meters, and each record of the event path started and stopped one;</li>
 * <li>the text log pattern's correlation part: trace id, span id, and the request id of a REST
 * request; structured (JSON) logs carry them as members of their own;</li>
 * <li>traces are exported only to an OTLP endpoint that is set
 * ({@value #OTLP_ENDPOINT}): without one (unset or blank, as a compose file's empty variable is)
 * there is no exporter and nothing is sampled ({@code management.tracing.sampling.probability} 0), so
 * no span is recorded; trace ids are still made, carried on, and logged.</li>
 * </ul>
 * The first three are defaults, below every other source; the last overrides them all.
 */
class ObservabilityDefaults implements EnvironmentPostProcessor, Ordered {

    static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    static final String TEMPLATE_OBSERVATION = "spring.kafka.template.observation-enabled";
    static final String LISTENER_OBSERVATION = "spring.kafka.listener.observation-enabled";
    static final String BAGGAGE = "management.tracing.baggage.enabled";
    static final String IGNORED_METERS = "management.metrics.observations.ignored-meters";
    static final String CORRELATION_PATTERN = "[%X{traceId:-},%X{spanId:-},%X{" + LogIds.REQUEST_ID + ":-}] ";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("pocketbridgeObservabilityDefaults", Map.of(
                TEMPLATE_OBSERVATION, "true",
                LISTENER_OBSERVATION, "true",
                BAGGAGE, "false",
                IGNORED_METERS, "long-task-timer",
                "logging.pattern.correlation", CORRELATION_PATTERN)));
        if (!StringUtils.hasText(environment.getProperty(OTLP_ENDPOINT))) {
            environment.getPropertySources().addFirst(new MapPropertySource("pocketbridgeTracingOff", Map.of(
                    "management.tracing.export.otlp.enabled", "false",
                    "management.tracing.sampling.probability", "0")));
        }
    }

    /** After the configuration files are read (ConfigData), before logging starts. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
