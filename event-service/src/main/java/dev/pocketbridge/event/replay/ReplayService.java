package dev.pocketbridge.event.replay;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.event.cursor.DeviceCursors;
import dev.pocketbridge.event.log.EventLog;
import dev.pocketbridge.event.log.LoggedEvent;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;
import dev.pocketbridge.web.ApiException;

/**
 * The one replay implementation (§3.4): pages of the log by {@code seq}, for the gateway's WS and REST
 * replay. A page is cut by count and by bytes before any payload is read: first the sizes of up to
 * {@code limit + 1} events (no payloads), then the payloads of exactly the events that fit, so a
 * page never holds more than {@code max-page-bytes} of payload in memory (plus one event, when a
 * single event is larger).
 */
@Service
class ReplayService {

    static final String INVALID_CONTINUATION_TOKEN = "invalid_continuation_token";
    /** Generous size of an event's JSON without its payload (ids, names, numbers). */
    private static final int EVENT_ENVELOPE_BYTES = 512;

    private final EventLog log;
    private final DeviceCursors cursors;
    private final ContinuationTokens tokens;
    private final ReplayProperties properties;
    private final ProtocolLimitsProperties limits;
    private final Clock clock;

    ReplayService(EventLog log, DeviceCursors cursors, ContinuationTokens tokens, ReplayProperties properties,
            ProtocolLimitsProperties limits, Clock clock) {
        this.log = log;
        this.cursors = cursors;
        this.tokens = tokens;
        this.properties = properties;
        this.limits = limits;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
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

        // Head first: events committed while the page is read lie above it and belong to the next page.
        long head = log.head(userId);
        Instant now = clock.instant();
        List<EventLog.EventSize> sizes = log.sizes(userId, after, head, pageSize + 1, now);
        int fit = Math.min(pageSize, fittingBytes(sizes));
        boolean hasMore = sizes.size() > fit;
        // Expired and purged events are not returned, but the page covers them: through_seq is the last
        // fitting row's seq (or the head), so a client sees no gap that replaying could fill.
        long lastSeq = fit == 0 ? after : sizes.get(fit - 1).seq();
        long throughSeq = hasMore ? lastSeq : head;
        List<LoggedEvent> events = fit == 0 ? List.of() : log.readRange(userId, after, lastSeq, fit, now);
        String token = hasMore ? tokens.encode(userId, throughSeq) : null;
        return new LogPage(List.copyOf(events), hasMore, token, throughSeq, log.oldestAvailableSeq(userId, head),
                events.isEmpty());
    }

    /** How many leading rows fit {@code max-page-bytes} (at least one, so a page always moves on). */
    private int fittingBytes(List<EventLog.EventSize> rows) {
        long bytes = 0;
        for (int i = 0; i < rows.size(); i++) {
            bytes += Base64Url.encodedLength(rows.get(i).payloadBytes()) + EVENT_ENVELOPE_BYTES;
            if (bytes > properties.maxPageBytes()) {
                return Math.max(1, i);
            }
        }
        return rows.size();
    }

}
