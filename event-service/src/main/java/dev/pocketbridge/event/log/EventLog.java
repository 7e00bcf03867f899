package dev.pocketbridge.event.log;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * The one place that assigns {@code seq} and {@code stream_seq}, and the one reader of the log.
 * Written with SQL rather than JPA entities: appends need a row lock, upserts and a fixed
 * statement order that an ORM would only obscure.
 */
@Service
public class EventLog {

    private static final String EVENT_COLUMNS = "seq, event_id, device_id, device_seq, stream_id, stream_seq, "
            + "event_type, payload, expires_at, created_at, conflict";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final EventValidator validator;

    EventLog(JdbcClient jdbc, Clock clock, LogProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.validator = new EventValidator(properties.maxPayloadBytes(), properties.clockSkew().toMillis());
    }

    /**
     * Validates, deduplicates and stores one inbound event in one transaction. The user's head row is
     * locked first, so appends of one user are serialised even if two consumers briefly overlap.
     */
    @Transactional
    public AppendOutcome append(InboundEvent inbound) {
        UUID userId = Uuids.parse(inbound.userId())
                .orElseThrow(() -> new MalformedInboundException("user_id is not a canonical UUID"));
        UUID deviceId = Uuids.parse(inbound.deviceId())
                .orElseThrow(() -> new MalformedInboundException("device_id is not a canonical UUID"));
        Instant now = Instant.ofEpochMilli(clock.millis());
        Optional<EventValidator.Rejection> invalid = validator.validate(inbound.asFrame(), now.toEpochMilli());
        if (invalid.isPresent() && invalid.get().code() != RejectCode.EXPIRED) {
            return new AppendOutcome.Rejected(invalid.get().code(), invalid.get().message());
        }
        // Past validation (or expired only, which is checked after every format rule): every field is well formed.
        Sequencer.Candidate candidate = new Sequencer.Candidate(UUID.fromString(inbound.eventId()), deviceId,
                inbound.deviceSeq(), inbound.streamId(), inbound.eventType(),
                Base64Url.decode(inbound.encryptedPayload()).orElseThrow(), inbound.expiresAt(),
                inbound.baseStreamSeq());

        long userHead = lockHead(userId);
        LoggedEvent existing = findByEventId(userId, candidate.eventId()).orElse(null);
        long lastDeviceSeq = jdbc.sql("SELECT last_device_seq FROM device_positions WHERE user_id = :u AND device_id = :d")
                .param("u", userId).param("d", deviceId).query(Long.class).optional().orElse(0L);
        long streamHead = jdbc.sql("SELECT head_stream_seq FROM stream_heads WHERE user_id = :u AND stream_id = :s")
                .param("u", userId).param("s", candidate.streamId()).query(Long.class).optional().orElse(0L);

        Sequencer.Decision decision = Sequencer.decide(candidate, invalid,
                new Sequencer.State(existing, lastDeviceSeq, userHead, streamHead));
        return switch (decision) {
            case Sequencer.Duplicate d -> new AppendOutcome.Stored(d.original().toDelivered(), true);
            case Sequencer.Reject r -> new AppendOutcome.Rejected(r.code(), r.message());
            case Sequencer.Append a -> new AppendOutcome.Stored(store(userId, candidate, a, now).toDelivered(), false);
        };
    }

    private long lockHead(UUID userId) {
        jdbc.sql("INSERT INTO user_logs (user_id, head_seq) VALUES (:u, 0) ON CONFLICT (user_id) DO NOTHING")
                .param("u", userId).update();
        return jdbc.sql("SELECT head_seq FROM user_logs WHERE user_id = :u FOR UPDATE")
                .param("u", userId).query(Long.class).single();
    }

    private LoggedEvent store(UUID userId, Sequencer.Candidate c, Sequencer.Append a, Instant now) {
        LoggedEvent event = new LoggedEvent(a.seq(), c.eventId(), c.deviceId(), c.deviceSeq(), c.streamId(),
                a.streamSeq(), c.eventType(), c.payload(), c.expiresAt(), now.toEpochMilli(), a.conflict());
        jdbc.sql("INSERT INTO events (user_id, " + EVENT_COLUMNS + ") VALUES (:u, :seq, :eventId, :deviceId, "
                        + ":deviceSeq, :streamId, :streamSeq, :eventType, :payload, :expiresAt, :createdAt, :conflict)")
                .param("u", userId)
                .param("seq", event.seq())
                .param("eventId", event.eventId())
                .param("deviceId", event.deviceId())
                .param("deviceSeq", event.deviceSeq())
                .param("streamId", event.streamId())
                .param("streamSeq", event.streamSeq())
                .param("eventType", event.eventType())
                .param("payload", new SqlParameterValue(Types.BINARY, event.payload()))
                .param("expiresAt", new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                        event.expiresAt() == null ? null : utc(Instant.ofEpochMilli(event.expiresAt()))))
                .param("createdAt", utc(now))
                .param("conflict", event.conflict())
                .update();
        jdbc.sql("UPDATE user_logs SET head_seq = :seq WHERE user_id = :u")
                .param("seq", event.seq()).param("u", userId).update();
        jdbc.sql("INSERT INTO stream_heads (user_id, stream_id, head_stream_seq) VALUES (:u, :s, :ss) "
                        + "ON CONFLICT (user_id, stream_id) DO UPDATE SET head_stream_seq = EXCLUDED.head_stream_seq")
                .param("u", userId).param("s", event.streamId()).param("ss", event.streamSeq()).update();
        jdbc.sql("INSERT INTO device_positions (user_id, device_id, last_device_seq, last_acked_seq) "
                        + "VALUES (:u, :d, :ds, 0) ON CONFLICT (user_id, device_id) "
                        + "DO UPDATE SET last_device_seq = EXCLUDED.last_device_seq")
                .param("u", userId).param("d", event.deviceId()).param("ds", event.deviceSeq()).update();
        return event;
    }

    private Optional<LoggedEvent> findByEventId(UUID userId, UUID eventId) {
        return jdbc.sql("SELECT " + EVENT_COLUMNS + " FROM events WHERE user_id = :u AND event_id = :e")
                .param("u", userId).param("e", eventId).query(EventLog::row).optional();
    }

    /** The user's newest {@code seq}; 0 before the first event. */
    @Transactional(readOnly = true)
    public long head(UUID userId) {
        return jdbc.sql("SELECT head_seq FROM user_logs WHERE user_id = :u")
                .param("u", userId).query(Long.class).optional().orElse(0L);
    }

    /** The smallest {@code seq} still stored, or {@code head + 1} when nothing is (so a new user gets 1). */
    @Transactional(readOnly = true)
    public long oldestAvailableSeq(UUID userId, long head) {
        return jdbc.sql("SELECT min(seq) FROM events WHERE user_id = :u")
                .param("u", userId).query(Long.class).optional().orElse(head + 1);
    }

    /**
     * Events with {@code after < seq <= through}, in {@code seq} order, at most {@code maxRows},
     * without those expired at {@code now}.
     */
    @Transactional(readOnly = true)
    public List<ServerFrame.DeliveredEvent> readRange(UUID userId, long after, long through, int maxRows,
            Instant now) {
        return jdbc.sql("SELECT " + EVENT_COLUMNS + " FROM events WHERE user_id = :u AND seq > :after "
                        + "AND seq <= :through AND (expires_at IS NULL OR expires_at > :now) ORDER BY seq LIMIT :max")
                .param("u", userId).param("after", after).param("through", through).param("now", utc(now))
                .param("max", maxRows)
                .query(EventLog::row).list().stream().map(LoggedEvent::toDelivered).toList();
    }

    private static LoggedEvent row(ResultSet rs, int rowNum) throws SQLException {
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return new LoggedEvent(rs.getLong("seq"), rs.getObject("event_id", UUID.class),
                rs.getObject("device_id", UUID.class), rs.getLong("device_seq"), rs.getString("stream_id"),
                rs.getLong("stream_seq"), rs.getString("event_type"), rs.getBytes("payload"),
                expires == null ? null : expires.toInstant().toEpochMilli(),
                rs.getObject("created_at", OffsetDateTime.class).toInstant().toEpochMilli(),
                rs.getBoolean("conflict"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
