package dev.pocketbridge.event.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.event.log.LogPages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@link ReadAhead} on its own: which page answers which request, and when none does. The pages come
 * from a log of ten events read two at a time; that the pages themselves are the log's is
 * {@code ReplayIntegrationTest}'s part, on the real database.
 */
class ReadAheadTest {

    private static final Duration MAX_AGE = Duration.ofSeconds(2);
    private static final UUID USER = UUID.randomUUID();
    private static final UUID OTHER_USER = UUID.randomUUID();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong();
    /** Every read of the log, in order: by a request or ahead of one. */
    private final ConcurrentLinkedQueue<ReadAhead.Key> reads = new ConcurrentLinkedQueue<>();
    private final CountDownLatch readsMayEnd = new CountDownLatch(1);
    private ReadAhead readAhead;

    @AfterEach
    void close() {
        readsMayEnd.countDown();
        readAhead.close();
    }

    @Test
    void theNextPageIsReadAheadAndAnswersItsRequestOnce() {
        readAhead = readAhead(4, this::tenEvents);

        LogPages.Page first = readAhead.page(key(USER, 0));
        assertThat(first.throughSeq()).isEqualTo(2);
        await().until(() -> reads.size() == 2);
        assertThat(reads).containsExactly(key(USER, 0), key(USER, 2));

        LogPages.Page second = readAhead.page(key(USER, 2));
        assertThat(second).isEqualTo(tenEvents(key(USER, 2)));
        assertThat(count("taken")).isEqualTo(1);
        await().until(() -> reads.size() == 3);
        assertThat(reads).last().isEqualTo(key(USER, 4));

        // Given out once: the same request again reads the log itself.
        assertThat(readAhead.page(key(USER, 2))).isEqualTo(second);
        assertThat(count("taken")).isEqualTo(1);
        assertThat(reads).hasSize(4);
        // Another limit is another page.
        readAhead.page(key(USER, 4, 3));
        assertThat(count("taken")).isEqualTo(1);
    }

    @Test
    void theLastPageReadsNoneAhead() {
        readAhead = readAhead(4, this::tenEvents);

        assertThat(readAhead.page(key(USER, 8)).hasMore()).isFalse();

        assertThat(reads).containsExactly(key(USER, 8));
    }

    @Test
    void aPageReadAheadLongerAgoThanMaxAgeIsDroppedAndTheRequestReadsTheLog() {
        readAhead = readAhead(4, this::tenEvents);
        readAhead.page(key(USER, 0));
        await().until(() -> reads.size() == 2);

        nanos.addAndGet(MAX_AGE.toNanos() + 1);
        LogPages.Page second = readAhead.page(key(USER, 2));

        assertThat(second).isEqualTo(tenEvents(key(USER, 2)));
        await().until(() -> reads.size() == 4);
        assertThat(reads).containsExactly(key(USER, 0), key(USER, 2), key(USER, 2), key(USER, 4));
        assertThat(count("taken")).isZero();
        assertThat(count("dropped")).isEqualTo(1);
    }

    @Test
    void atMostMaxPagesAreReadOrHeldAtATimeAndAPageHeldTooLongMakesRoomWhenTheNextIsStarted() {
        readAhead = readAhead(2, this::tenEvents);
        readAhead.page(key(USER, 0));
        readAhead.page(key(OTHER_USER, 0));
        readAhead.page(key(USER, 4));

        assertThat(count("skipped")).isEqualTo(1);
        await().until(() -> reads.size() == 5);
        assertThat(reads).doesNotContain(key(USER, 6));

        nanos.addAndGet(MAX_AGE.toNanos() + 1);
        readAhead.page(key(USER, 4));
        assertThat(count("dropped")).isEqualTo(2);
        await().until(() -> reads.contains(key(USER, 6)));
    }

    @Test
    void aPageDroppedWhileItIsStillBeingReadCountsUntilItsReadEnds() {
        readAhead = readAhead(1, this::tenEventsAfterTheFirstPageOnceReadsMayEnd);
        readAhead.page(key(USER, 0));
        await().until(() -> reads.size() == 2);

        nanos.addAndGet(MAX_AGE.toNanos() + 1);
        readAhead.page(key(OTHER_USER, 0));
        assertThat(count("dropped")).isEqualTo(1);
        assertThat(count("skipped")).as("the dropped page's read still holds its thread and memory").isEqualTo(1);

        readsMayEnd.countDown();
        await().untilAsserted(() -> {
            readAhead.page(key(OTHER_USER, 0));
            assertThat(reads).contains(key(OTHER_USER, 2));
        });
    }

    @Test
    void aPageIsAwaitedWhileItIsStillBeingRead() throws InterruptedException {
        readAhead = readAhead(4, this::tenEventsAfterTheFirstPageOnceReadsMayEnd);
        readAhead.page(key(USER, 0));
        await().until(() -> reads.size() == 2);

        Thread request = Thread.ofVirtual().start(() -> readAhead.page(key(USER, 2)));
        assertThat(request.join(Duration.ofMillis(200))).as("waits for the read ahead").isFalse();
        readsMayEnd.countDown();
        request.join();

        assertThat(count("taken")).isEqualTo(1);
        assertThat(reads).startsWith(key(USER, 0), key(USER, 2)).doesNotHaveDuplicates();
    }

    @Test
    void aFailedReadAheadLeavesTheRequestToReadTheLogAndAnswerItsOwnError() {
        readAhead = readAhead(4, key -> {
            if (key.after() > 0) {
                throw new IllegalStateException("the database went away");
            }
            return tenEvents(key);
        });
        readAhead.page(key(USER, 0));
        await().until(() -> count("dropped") == 1);

        assertThatThrownBy(() -> readAhead.page(key(USER, 2))).hasMessage("the database went away");
        assertThat(reads).containsExactly(key(USER, 0), key(USER, 2), key(USER, 2));
    }

    @Test
    void forgettingAUserDropsItsPagesOnly() {
        readAhead = readAhead(4, this::tenEvents);
        readAhead.page(key(USER, 0));
        readAhead.page(key(OTHER_USER, 0));
        await().until(() -> reads.size() == 4);

        readAhead.forget(USER);

        assertThat(count("dropped")).isEqualTo(1);
        readAhead.page(key(USER, 2));
        readAhead.page(key(OTHER_USER, 2));
        assertThat(count("taken")).isEqualTo(1);
        assertThat(reads.stream().filter(key(USER, 2)::equals)).hasSize(2);
    }

    @Test
    void withNoPagesNoneIsReadAhead() {
        readAhead = readAhead(0, this::tenEvents);

        readAhead.page(key(USER, 0));
        readAhead.page(key(USER, 2));

        assertThat(reads).containsExactly(key(USER, 0), key(USER, 2));
        assertThat(count("skipped")).isZero();
    }

    private ReadAhead readAhead(int pages, Function<ReadAhead.Key, LogPages.Page> log) {
        return new ReadAhead(pages, MAX_AGE, key -> {
            reads.add(key);
            return log.apply(key);
        }, nanos::get, meters);
    }

    /** A page of a log of ten events with no payloads: {@code limit} after {@code after}, up to seq 10. */
    private LogPages.Page tenEvents(ReadAhead.Key key) {
        long through = Math.min(10, key.after() + key.limit());
        return new LogPages.Page(10, 1, List.of(), through < 10, through);
    }

    /** As {@link #tenEvents}, but a page after the first is read only once {@link #readsMayEnd}. */
    private LogPages.Page tenEventsAfterTheFirstPageOnceReadsMayEnd(ReadAhead.Key key) {
        if (key.after() > 0) {
            awaitUninterruptibly(readsMayEnd);
        }
        return tenEvents(key);
    }

    private static ReadAhead.Key key(UUID user, long after) {
        return key(user, after, 2);
    }

    private static ReadAhead.Key key(UUID user, long after, int limit) {
        return new ReadAhead.Key(user, after, limit);
    }

    private double count(String outcome) {
        return meters.get(ReadAhead.METRIC).tag("outcome", outcome).counter().count();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
