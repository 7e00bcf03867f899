package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import com.netflix.concurrency.limits.Limiter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class NodeAdmissionTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** The admission's clock: outcomes take as long as the test says. */
    private final AtomicLong nanos = new AtomicLong();

    /** A node whose sessions' window is {@code min} (the floor's own rule is tested on its own). */
    private NodeAdmission admission(int initial, int min, int max, Duration target) {
        return new NodeAdmission(properties(Map.of(
                "pocketbridge.gateway.session.max-inflight-events", min,
                "pocketbridge.gateway.session.max-node-inflight-events", max,
                "pocketbridge.gateway.session.admission-initial-limit", initial,
                "pocketbridge.gateway.session.admission-min-limit", min,
                "pocketbridge.gateway.session.admission-target-latency", target)), meters, nanos::get);
    }

    private static SessionProperties properties(Map<String, Object> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("pocketbridge.gateway.session", SessionProperties.class);
    }

    private static List<Limiter.Listener> admitAll(NodeAdmission admission, int count) {
        List<Limiter.Listener> slots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            admission.tryAdmit().ifPresent(slots::add);
        }
        return slots;
    }

    @Test
    void eventsAboveTheLimitAreShedAndCounted() {
        NodeAdmission admission = admission(10, 10, 10, Duration.ofSeconds(1));
        List<Limiter.Listener> slots = admitAll(admission, 10);

        Optional<Limiter.Listener> eleventh = admission.tryAdmit();

        assertThat(slots).hasSize(10);
        assertThat(eleventh).isEmpty();
        assertThat(meters.counter(NodeAdmission.SHED_METRIC).count()).isEqualTo(1);
        nanos.addAndGet(Duration.ofMillis(3).toNanos());
        slots.getFirst().onSuccess();
        assertThat(admission.tryAdmit()).isPresent();
        assertThat(meters.timer(NodeAdmission.OUTCOME_METRIC).count()).as("outcomes timed").isEqualTo(1);
        assertThat(meters.timer(NodeAdmission.OUTCOME_METRIC).totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(3.0);
    }

    @Test
    void theBurstBehindAPauseIsAdmittedAtARateTheNodeCarriesAndASlowedNodeAdmitsLess() {
        NodeAdmission admission = admission(100, 100, 5000, Duration.ofMillis(300));
        // 1,000 events/s for two seconds, each outcome 5 ms after its event
        for (int i = 0; i < 2000; i++) {
            Limiter.Listener slot = admission.tryAdmit().orElseThrow();
            nanos.addAndGet(Duration.ofMillis(1).toNanos());
            slot.onSuccess();
        }

        // then a pause of 400 ms in which no outcome comes back while devices go on sending
        List<Limiter.Listener> behindThePause = admitAll(admission, 400);
        assertThat(behindThePause).as("300 ms of the node's pace (about 300 events) are admitted").hasSizeBetween(295, 305);
        assertThat(meters.counter(NodeAdmission.SHED_METRIC).count()).isEqualTo(400 - behindThePause.size());

        // the pipeline turns 100 events/s for four seconds: the limit falls to the floor
        nanos.addAndGet(Duration.ofMillis(400).toNanos());
        for (Limiter.Listener slot : behindThePause) {
            nanos.addAndGet(Duration.ofMillis(10).toNanos());
            slot.onSuccess();
        }
        for (int i = 0; i < 100; i++) {
            Limiter.Listener slot = admission.tryAdmit().orElseThrow();
            nanos.addAndGet(Duration.ofMillis(10).toNanos());
            slot.onSuccess();
        }
        assertThat(admission.limit()).isEqualTo(100);
        assertThat(admission.inflight()).isZero();
    }

    @Test
    void theLimitNeverShrinksBelowOneSessionsWindow() {
        NodeAdmission admission = new NodeAdmission(properties(Map.of(
                "pocketbridge.gateway.session.max-inflight-events", 40,
                "pocketbridge.gateway.session.max-node-inflight-events", 200,
                "pocketbridge.gateway.session.admission-initial-limit", 10,
                "pocketbridge.gateway.session.admission-min-limit", 5,
                "pocketbridge.gateway.session.admission-target-latency", Duration.ofMillis(20))), meters, nanos::get);
        assertThat(admission.limit()).as("starts at one window").isEqualTo(40);

        for (int round = 0; round < 5; round++) {
            nanos.addAndGet(Duration.ofSeconds(1).toNanos()); // every outcome lost, for five seconds
            admitAll(admission, admission.limit()).forEach(Limiter.Listener::onDropped);
        }

        assertThat(admission.limit()).as("a lone device keeps its whole window").isEqualTo(40);
        assertThat(admitAll(admission, 40)).hasSize(40);
    }

    @Test
    void theDefaultsAdmitOneWholeWindowAndAreCappedByTheNodesCeiling() {
        SessionProperties defaults = properties(Map.of());
        assertThat(NodeAdmission.floor(defaults)).isEqualTo(defaults.maxInflightEvents());
        assertThat(NodeAdmission.floor(properties(Map.of(
                "pocketbridge.gateway.session.max-node-inflight-events", 30)))).isEqualTo(30);
    }

    @Test
    void aSessionThatEndsGivesItsSlotsBackWithoutMovingTheLimit() {
        NodeAdmission admission = admission(50, 10, 100, Duration.ofSeconds(1));
        admitAll(admission, 50).forEach(Limiter.Listener::onIgnore);
        assertThat(admission.limit()).isEqualTo(50);
        assertThat(admission.inflight()).isZero();
    }
}
