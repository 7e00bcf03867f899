package dev.pocketbridge.event.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.protocol.ReplayPage;
import dev.pocketbridge.common.protocol.ServerFrame.DeliveredEvent;
import dev.pocketbridge.event.cursor.DeviceCursors;
import dev.pocketbridge.event.log.EventLog;

/**
 * The byte budget of a page, on its own: the log is a stand-in here because the rule is pure
 * arithmetic over the rows it returns (the paging over real PostgreSQL is ReplayIntegrationTest).
 */
class ReplayPageSizeTest {

    private static final UUID USER = UUID.randomUUID();
    private static final UUID DEVICE = UUID.randomUUID();

    private final EventLog log = mock(EventLog.class);
    private final ReplayService service = new ReplayService(log, mock(DeviceCursors.class),
            new ContinuationTokens(new byte[32]), new ReplayProperties(100, 1000, 3_100, null),
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    private void logHolds(int count, int payloadChars) {
        List<DeliveredEvent> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(new DeliveredEvent(i, UUID.randomUUID().toString(), DEVICE.toString(), i, "s", i, "t",
                    "A".repeat(payloadChars), null, 0, false));
        }
        when(log.head(USER)).thenReturn((long) count);
        when(log.readRange(eq(USER), anyLong(), anyLong(), anyInt(), any())).thenReturn(rows);
    }

    @Test
    void aPageEndsBeforeItsEventsPassTheByteBudget() {
        logHolds(5, 1_000); // 1,512 bytes an event with the envelope: two fit in 3,100, three do not

        ReplayPage page = service.page(USER, DEVICE, 0L, 100, null);

        assertThat(page.events()).extracting(DeliveredEvent::seq).containsExactly(1L, 2L);
        assertThat(page.hasMore()).isTrue();
        assertThat(page.throughSeq()).isEqualTo(2);
        assertThat(page.continuationToken()).isNotNull();
    }

    @Test
    void aSingleEventLargerThanTheBudgetStillMakesAPage() {
        logHolds(2, 10_000);

        ReplayPage page = service.page(USER, DEVICE, 0L, 100, null);

        assertThat(page.events()).extracting(DeliveredEvent::seq).containsExactly(1L);
        assertThat(page.hasMore()).isTrue();
    }
}
