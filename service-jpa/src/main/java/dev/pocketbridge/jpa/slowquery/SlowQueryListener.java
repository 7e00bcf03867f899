package dev.pocketbridge.jpa.slowquery;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;

/**
 * Told of every statement after it ran (datasource-proxy): one that took at least the threshold is
 * logged at WARN with its SQL text (the placeholders, never the parameters: they may be personal
 * data) and counted in {@value #METRIC}.
 */
final class SlowQueryListener implements QueryExecutionListener {

    static final String METRIC = "pocketbridge.db.slow.queries";

    private static final Logger log = LoggerFactory.getLogger(SlowQueryListener.class);

    private final long thresholdMillis;
    private final Supplier<MeterRegistry> meters;
    private volatile Counter counter;

    /** @param meters where to count, looked up at the first slow statement (null: not counted) */
    SlowQueryListener(Duration threshold, Supplier<MeterRegistry> meters) {
        this.thresholdMillis = threshold.toMillis();
        this.meters = meters;
    }

    @Override
    public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
    }

    @Override
    public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        long elapsed = execution.getElapsedTime();
        if (elapsed < thresholdMillis) {
            return;
        }
        log.warn("slow query: {} ms (threshold {} ms){}: {}", elapsed, thresholdMillis,
                execution.isBatch() ? ", batch of " + execution.getBatchSize() : "",
                queries.stream().map(QueryInfo::getQuery).collect(Collectors.joining("; ")));
        Counter c = counter();
        if (c != null) {
            c.increment();
        }
    }

    /** The counter of slow statements in {@code registry} (registered at start, so it shows before the first). */
    static Counter counter(MeterRegistry registry) {
        return Counter.builder(METRIC).description("Statements that took at least pocketbridge.db.slow-query-threshold")
                .register(registry);
    }

    private Counter counter() {
        Counter c = counter;
        if (c == null) {
            MeterRegistry registry = meters.get();
            if (registry != null) {
                c = counter(registry);
                counter = c;
            }
        }
        return c;
    }
}
