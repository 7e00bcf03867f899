package dev.pocketbridge.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.validation.annotation.Validated;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.constraints.NotNull;

/**
 * Whether this service's ordered group listeners make progress, for readiness and a metric. One is
 * unhealthy when its container is not running, or when one of its partitions has records waiting
 * (lag) while its committed offset has not moved for {@code stallTimeout}: a dead or stuck
 * consumer, or a batch retried without end because the database is away. Checked every
 * {@code checkInterval} while the application runs; {@link #health()} reports the last check.
 * <p>
 * A container that stopped after an error (not by its {@code stop()}) is started again by the next
 * check: a consumer fenced from its group, as a static member can be when the broker restarts in
 * the middle of its rejoining, would otherwise leave the service unready until someone restarts it.
 * <p>
 * Metrics, per listener: {@code pocketbridge.kafka.consumer.stalled} (1 while unhealthy) and
 * {@code pocketbridge.kafka.consumer.restarts} (containers started again); its lag is
 * {@link ConsumerLag}'s, like every consumer's.
 */
public final class ConsumerProgress implements HealthIndicator, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerProgress.class);

    /**
     * {@code pocketbridge.kafka.progress}: how a listener's progress is judged.
     *
     * @param checkInterval how often the offsets are read
     * @param stallTimeout  how long a partition with lag may go without committed progress
     */
    @ConfigurationProperties("pocketbridge.kafka.progress")
    @Validated
    public record Settings(
            @DefaultValue("5s") @NotNull Duration checkInterval,
            @DefaultValue("30s") @NotNull Duration stallTimeout) {
    }

    private static final String RESTARTS = "pocketbridge.kafka.consumer.restarts";

    private final Set<String> listenerIds;
    private final Function<String, MessageListenerContainer> containers;
    private final Admin admin;
    private final Duration checkInterval;
    private final Duration stallTimeout;
    private final Clock clock;
    private final MeterRegistry meters;
    /** Per partition: the committed offset last seen and since when. */
    private final Map<TopicPartition, Position> positions = new HashMap<>();
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

    private record Position(long committed, Instant since) {
    }

    /** The last check of one listener. */
    private record Listener(boolean running, long lag, List<TopicPartition> stalled) {

        boolean healthy() {
            return running && stalled.isEmpty();
        }
    }

    private ScheduledExecutorService schedule;

    /**
     * @param listenerIds the group listeners to judge (the ordered consumers that commit as they go)
     * @param containers  finds a listener's container by id (e.g. the listener endpoint registry)
     * @param admin       closed when this stops
     */
    public ConsumerProgress(Set<String> listenerIds, Function<String, MessageListenerContainer> containers,
            Admin admin, Settings settings, Clock clock, MeterRegistry meters) {
        this.listenerIds = Set.copyOf(listenerIds);
        this.containers = containers;
        this.admin = admin;
        this.checkInterval = settings.checkInterval();
        this.stallTimeout = settings.stallTimeout();
        this.clock = clock;
        this.meters = meters;
    }

    @Override
    public synchronized void start() {
        schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("consumer-progress").daemon()
                .factory());
        schedule.scheduleWithFixedDelay(this::checkQuietly, 0, checkInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (schedule != null) {
            schedule.shutdownNow();
            schedule = null;
            admin.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return schedule != null;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("checking the listeners' progress failed", e);
        }
    }

    /** Reads the committed and end offsets of every group listener's partitions and judges them. */
    public synchronized void check() {
        Instant now = clock.instant();
        for (String id : listenerIds) {
            MessageListenerContainer container = containers.apply(id);
            String group = container == null ? null : container.getGroupId();
            if (group == null) {
                continue;
            }
            Counter restarts = meters.counter(RESTARTS, "listener", id); // at 0 from the first check: alerts see it
            if (!container.isRunning() && !container.isInExpectedState()) {
                restart(id, container, restarts);
            }
            Collection<TopicPartition> assigned = container.isRunning() ? container.getAssignedPartitions() : null;
            Listener checked;
            try {
                checked = assigned == null || assigned.isEmpty()
                        ? new Listener(container.isRunning(), 0, List.of())
                        : judge(group, Set.copyOf(assigned), now);
            } catch (Exception e) {
                // The broker is away: the consumers cannot progress either, but that is Kafka's health, not theirs.
                log.debug("could not read the offsets of {}: {}", group, e.toString());
                continue;
            }
            Listener before = listeners.put(id, checked);
            if (before == null) {
                Gauge.builder("pocketbridge.kafka.consumer.stalled", listeners, l -> stalledOf(l, id))
                        .tag("listener", id).description("1 while the listener is stopped or stalled with lag")
                        .register(meters);
            }
            if (!checked.healthy() && (before == null || before.healthy())) {
                log.warn("listener {} is {}", id, describe(checked));
            } else if (checked.healthy() && before != null && !before.healthy()) {
                log.info("listener {} makes progress again", id);
            }
        }
    }

    /** Starts a container that stopped after an error; one that cannot start is reported not running, and tried again. */
    private void restart(String id, MessageListenerContainer container, Counter restarts) {
        log.warn("listener {} stopped after an error; starting it again", id);
        restarts.increment();
        try {
            container.start();
        } catch (RuntimeException e) {
            log.warn("listener {} could not be started again", id, e);
        }
    }

    private Listener judge(String group, Set<TopicPartition> assigned, Instant now) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = assigned.stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        long lag = 0;
        List<TopicPartition> stalled = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata c = committed.get(tp);
            long at = c == null ? 0 : c.offset();
            long waiting = Math.max(0, ends.getOrDefault(tp, at) - at);
            lag += waiting;
            Position seen = positions.get(tp);
            if (seen == null || seen.committed() != at || waiting == 0) {
                positions.put(tp, new Position(at, now));
            } else if (Duration.between(seen.since(), now).compareTo(stallTimeout) >= 0) {
                stalled.add(tp);
            }
        }
        return new Listener(true, lag, List.copyOf(stalled));
    }

    private static double stalledOf(Map<String, Listener> listeners, String id) {
        Listener l = listeners.get(id);
        return l == null || l.healthy() ? 0 : 1;
    }

    private String describe(Listener l) {
        return !l.running() ? "not running"
                : "stalled: no committed progress for " + stallTimeout.toSeconds() + " s with " + l.lag()
                        + " records waiting on " + l.stalled();
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean healthy = true;
        for (Map.Entry<String, Listener> e : listeners.entrySet()) {
            details.put(e.getKey(), e.getValue().healthy() ? "progressing (lag " + e.getValue().lag() + ")"
                    : describe(e.getValue()));
            healthy &= e.getValue().healthy();
        }
        return (healthy ? Health.up() : Health.down()).withDetails(details).build();
    }
}
