package dev.pocketbridge.event.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.event.EventServiceIntegrationTest;

/**
 * A replay page's cut by count and by bytes over real PostgreSQL (the paging through the API is
 * ReplayIntegrationTest). Each event counts its payload's base64url length plus the envelope given
 * here.
 */
class LogPagesIntegrationTest extends EventServiceIntegrationTest {

    private static final int ENVELOPE = 512;

    @Autowired
    EventLog eventLog;
    @Autowired
    LogPages pages;

    /** A new user whose log holds {@code count} events of {@code payloadBytes} each, seq 1..count. */
    private UUID userWith(int count, int payloadBytes) {
        Sender sender = Sender.create(0);
        List<InboundEvent> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(sender.event(i, new byte[payloadBytes]));
        }
        eventLog.appendAll(events);
        return UUID.fromString(sender.userId());
    }

    private static List<Long> seqs(LogPages.Page page) {
        return page.events().stream().map(LoggedEvent::seq).toList();
    }

    @Test
    void aPageEndsBeforeItsEventsPassTheByteBudget() {
        UUID user = userWith(5, 750); // 1,000 characters, 1,512 bytes an event with the envelope

        LogPages.Page page = pages.page(user, 0, 100, 3_100, ENVELOPE, Instant.now());

        assertThat(seqs(page)).containsExactly(1L, 2L);
        assertThat(page.hasMore()).isTrue();
        assertThat(page.throughSeq()).as("the last event that fit").isEqualTo(2);
        assertThat(page.events()).allSatisfy(e -> assertThat(e.payload()).hasSize(750));
        assertThat(page.headSeq()).isEqualTo(5);
        assertThat(page.oldestAvailableSeq()).isEqualTo(1);
    }

    @Test
    void anEventThatFillsTheBudgetExactlyFits() {
        UUID user = userWith(3, 750);

        assertThat(seqs(pages.page(user, 0, 100, 3_024, ENVELOPE, Instant.now()))).containsExactly(1L, 2L);
        assertThat(seqs(pages.page(user, 0, 100, 3_023, ENVELOPE, Instant.now()))).containsExactly(1L);
    }

    @Test
    void theCountLimitCutsToo() {
        UUID user = userWith(5, 10);

        LogPages.Page page = pages.page(user, 0, 3, 1_000_000, ENVELOPE, Instant.now());

        assertThat(seqs(page)).containsExactly(1L, 2L, 3L);
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void aSingleEventLargerThanTheBudgetStillMakesAPage() {
        UUID user = userWith(3, 7_500);

        LogPages.Page first = pages.page(user, 0, 100, 3_100, ENVELOPE, Instant.now());
        LogPages.Page second = pages.page(user, 1, 100, 3_100, ENVELOPE, Instant.now());

        assertThat(seqs(first)).containsExactly(1L);
        assertThat(first.hasMore()).isTrue();
        assertThat(seqs(second)).containsExactly(2L);
        assertThat(second.hasMore()).isTrue();
    }

    @Test
    void theLastPageHasNoMore() {
        UUID user = userWith(4, 10);

        LogPages.Page page = pages.page(user, 1, 3, 1_000_000, ENVELOPE, Instant.now());
        LogPages.Page beyond = pages.page(user, 4, 3, 1_000_000, ENVELOPE, Instant.now());

        assertThat(seqs(page)).containsExactly(2L, 3L, 4L);
        assertThat(page.hasMore()).isFalse();
        assertThat(page.throughSeq()).as("the head").isEqualTo(4);
        assertThat(beyond.events()).isEmpty();
        assertThat(beyond.hasMore()).isFalse();
        assertThat(beyond.headSeq()).isEqualTo(4);
    }

    @Test
    void aUserWithoutEventsHasAnEmptyPageAtHeadZero() {
        LogPages.Page page = pages.page(UUID.randomUUID(), 0, 100, 1_000_000, ENVELOPE, Instant.now());

        assertThat(page.events()).isEmpty();
        assertThat(page.hasMore()).isFalse();
        assertThat(page.headSeq()).isZero();
        assertThat(page.oldestAvailableSeq()).isEqualTo(1);
    }

    @Test
    void expiredEventsNeitherShowNorCount() {
        Sender sender = Sender.create(0);
        long now = clock.millis();
        eventLog.appendAll(List.of(sender.event(1, new byte[10]), sender.event(2, new byte[10], now + 60_000),
                sender.event(3, new byte[10])));
        UUID user = UUID.fromString(sender.userId());

        LogPages.Page page = pages.page(user, 0, 2, 1_000_000, ENVELOPE, Instant.ofEpochMilli(now + 120_000));

        assertThat(seqs(page)).containsExactly(1L, 3L);
        assertThat(page.hasMore()).isFalse();
        assertThat(page.throughSeq()).as("the head").isEqualTo(3);
        assertThat(page.headSeq()).isEqualTo(3);
    }
}
