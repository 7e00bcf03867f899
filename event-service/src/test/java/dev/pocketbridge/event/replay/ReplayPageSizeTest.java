package dev.pocketbridge.event.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.event.cursor.DeviceCursors;
import dev.pocketbridge.event.log.EventLog;
import dev.pocketbridge.event.log.LoggedEvent;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;

/**
 * The byte budget of a page, on its own: the log is a stand-in here because the rule is pure
 * arithmetic over the sizes it returns, and the stand-in shows which payloads the page reads (the
 * paging over real PostgreSQL is ReplayIntegrationTest).
 */
class ReplayPageSizeTest {

    private static final UUID USER = UUID.randomUUID();
    private static final UUID DEVICE = UUID.randomUUID();

    private final EventLog log = mock(EventLog.class);
    private final ReplayService service = new ReplayService(log, mock(DeviceCursors.class),
            new ContinuationTokens(new byte[32]), new ReplayProperties(3_100, null),
            new ProtocolLimitsProperties(1_048_576, Duration.ofMinutes(5), 100, 1000, 5), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    /** Events 1..count of {@code payloadBytes} each (encoded: 4/3 as many characters). */
    private void logHolds(int count, int payloadBytes) {
        List<EventLog.EventSize> sizes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            sizes.add(new EventLog.EventSize(i, payloadBytes));
        }
        when(log.head(USER)).thenReturn((long) count);
        when(log.sizes(eq(USER), anyLong(), anyLong(), anyInt(), any())).thenReturn(sizes);
        when(log.readRange(eq(USER), anyLong(), anyLong(), anyInt(), any())).thenAnswer(call -> {
            long after = call.getArgument(1);
            long through = call.getArgument(2);
            List<LoggedEvent> rows = new ArrayList<>();
            for (long seq = after + 1; seq <= Math.min(through, count); seq++) {
                rows.add(new LoggedEvent(seq, UUID.randomUUID(), DEVICE, seq, "s", seq, "t", new byte[payloadBytes], null, 0,
                        false));
            }
            return rows;
        });
    }

    @Test
    void aPageEndsBeforeItsEventsPassTheByteBudget() {
        logHolds(5, 750); // 1,000 characters, 1,512 bytes an event with the envelope: two fit in 3,100, three do not

        LogPage page = service.page(USER, DEVICE, 0L, 100, null);

        assertThat(page.events()).extracting(LoggedEvent::seq).containsExactly(1L, 2L);
        assertThat(page.hasMore()).isTrue();
        assertThat(page.throughSeq()).isEqualTo(2);
        assertThat(page.continuationToken()).isNotNull();
        // Sizes of limit + 1 events, payloads of the two that fit only.
        verify(log).sizes(eq(USER), eq(0L), eq(5L), eq(101), any());
        verify(log).readRange(eq(USER), eq(0L), eq(2L), eq(2), any());
    }

    @Test
    void theCountLimitCutsToo() {
        logHolds(5, 10);

        LogPage page = service.page(USER, DEVICE, 0L, 3, null);

        assertThat(page.events()).extracting(LoggedEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(page.hasMore()).isTrue();
        verify(log).readRange(eq(USER), eq(0L), eq(3L), eq(3), any());
    }

    @Test
    void aSingleEventLargerThanTheBudgetStillMakesAPage() {
        logHolds(2, 7_500);

        LogPage page = service.page(USER, DEVICE, 0L, 100, null);

        assertThat(page.events()).extracting(LoggedEvent::seq).containsExactly(1L);
        assertThat(page.hasMore()).isTrue();
        verify(log).readRange(eq(USER), eq(0L), eq(1L), eq(1), any());
    }
}
