package dev.pocketbridge.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.MalformedAccountChangeException;
import dev.pocketbridge.common.kafka.Topics;
import tools.jackson.core.JacksonException;

/**
 * Reading account-change records for the listeners that act on them best effort and never block
 * their topic (the gateways, relay-service): a record no one can act on is logged and skipped. The
 * listeners that must not miss one (event-service, auth-service) dead-letter it instead
 * ({@link DeadLetters#ACCOUNT_CHANGES}).
 */
public final class AccountChangeRecords {

    private static final Logger log = LoggerFactory.getLogger(AccountChangeRecords.class);

    private AccountChangeRecords() {
    }

    /**
     * The record's change number ({@link Topics#CHANGE_ID_HEADER}), or empty when it has none that
     * can be read (a record not published by device-service's outbox).
     */
    public static OptionalLong changeId(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(Topics.CHANGE_ID_HEADER);
        if (header == null || header.value() == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The record's change ({@link AccountChange#read}), or empty (logged) when it cannot be read. */
    public static Optional<AccountChange> readOrSkip(ConsumerRecord<String, String> record) {
        try {
            return Optional.of(AccountChange.read(record.value()));
        } catch (JacksonException | MalformedAccountChangeException e) {
            log.warn("skipping unreadable account change {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Optional.empty();
        }
    }
}
