package dev.pocketbridge.event.replay;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.pocketbridge.event.cursor.DeviceCursors;
import dev.pocketbridge.event.log.LogPages;
import dev.pocketbridge.event.log.LoggedEvent;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;
import dev.pocketbridge.web.ApiException;

/**
 * The one replay implementation (§3.4): pages of the log by {@code seq}, for the gateway's WS and REST
 * replay. A page is cut by count and by bytes before any payload is read ({@link LogPages}): only the
 * payloads of the events that fit are read, so a page never holds more than {@code max-page-bytes} of
 * payload in memory (or one event, when a single event is larger). When a page has more to come, the
 * next one is read ahead while this one is written out ({@link ReadAhead}).
 */
@Service
class ReplayService {

    static final String INVALID_CONTINUATION_TOKEN = "invalid_continuation_token";
    /** Generous size of an event's JSON without its payload (ids, names, numbers). */
    private static final int EVENT_ENVELOPE_BYTES = 512;

    private final ReadAhead pages;
    private final DeviceCursors cursors;
    private final ContinuationTokens tokens;
    private final ProtocolLimitsProperties limits;

    ReplayService(ReadAhead pages, DeviceCursors cursors, ContinuationTokens tokens, ProtocolLimitsProperties limits) {
        this.pages = pages;
        this.cursors = cursors;
        this.tokens = tokens;
        this.limits = limits;
    }

    /** Reads a page of the log as every request does, cut by {@code max-page-bytes}. */
    static LogPages.Page read(LogPages log, ReadAhead.Key page, ReplayProperties properties, Clock clock) {
        return log.page(page.userId(), page.after(), page.limit(), properties.maxPageBytes(), EVENT_ENVELOPE_BYTES,
                clock.instant());
    }

    public LogPage page(UUID userId, UUID deviceId, Long afterSeq, Integer limit, String continuationToken) {
        if (afterSeq != null && continuationToken != null) {
            throw ApiException.invalidRequest("after_seq and continuation_token are mutually exclusive");
        }
        if (afterSeq != null && afterSeq < 0) {
            throw ApiException.invalidRequest("after_seq must be >= 0");
        }
        int pageSize = limit == null ? limits.replayDefaultLimit() : limit;
        if (pageSize < 1 || pageSize > limits.replayMaxLimit()) {
            throw ApiException.invalidRequest("limit must be between 1 and " + limits.replayMaxLimit());
        }
        long after;
        if (continuationToken != null) {
            after = tokens.decode(userId, continuationToken).orElseThrow(() -> new ApiException(
                    HttpStatus.BAD_REQUEST, INVALID_CONTINUATION_TOKEN, "the continuation token is not valid"));
        } else if (afterSeq != null) {
            after = afterSeq;
        } else {
            after = cursors.lastAckedSeq(userId, deviceId);
        }

        LogPages.Page read = pages.page(new ReadAhead.Key(userId, after, pageSize));
        List<LoggedEvent> events = read.events();
        String token = read.hasMore() ? tokens.encode(userId, read.throughSeq()) : null;
        return new LogPage(List.copyOf(events), read.hasMore(), token, read.throughSeq(), read.oldestAvailableSeq(),
                events.isEmpty());
    }

}
