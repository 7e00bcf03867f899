package dev.pocketbridge.relay.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class LatestEventsTest {

    private static final long NOW = 1_700_000_000_000L;

    private final LatestEvents latest = new LatestEvents(3, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    @Test
    void whatIsKeptPerUserHoldsNoPayloadOnlyNumbers() {
        List<Class<?>> types = Arrays.stream(LatestEvents.Newest.class.getRecordComponents())
                .map(RecordComponent::getType).toList();
        assertThat(types).containsExactly(long.class, int.class, long.class, Long.class);
    }

    @Test
    void keepsTheNewestSeqPerUser() {
        latest.remember("u", new LatestEvents.Newest(5, 1, 50, null));
        latest.remember("u", new LatestEvents.Newest(4, 1, 40, null));

        assertThat(latest.of("u")).contains(new LatestEvents.Newest(5, 1, 50, null));
        latest.remember("u", new LatestEvents.Newest(6, 2, 7, null));
        assertThat(latest.of("u")).contains(new LatestEvents.Newest(6, 2, 7, null));
    }

    @Test
    void anExpiredNewestEventIsNotHandedOut() {
        latest.remember("u", new LatestEvents.Newest(5, 1, 50, NOW));

        assertThat(latest.of("u")).isEmpty();
    }

    @Test
    void holdsAtMostItsCapacityOfUsersDroppingTheLeastRecentlyUsed() {
        for (String user : List.of("a", "b", "c")) {
            latest.remember(user, new LatestEvents.Newest(1, 0, 1, null));
        }
        latest.of("a");
        latest.remember("d", new LatestEvents.Newest(1, 0, 1, null));

        assertThat(latest.size()).isEqualTo(3);
        assertThat(latest.of("b")).isEmpty();
        assertThat(latest.of("a")).isPresent();
        assertThat(latest.of("d")).isPresent();
    }

    @Test
    void aForgottenUserHasNoNewestEventUntilANewOneIsNoted() {
        latest.remember("u", new LatestEvents.Newest(5, 1, 50, null));
        latest.remember("other", new LatestEvents.Newest(2, 0, 3, null));

        latest.forget("u");

        assertThat(latest.of("u")).isEmpty();
        assertThat(latest.of("other")).isPresent();
        assertThat(latest.size()).isEqualTo(1);
    }
}
