package dev.pocketbridge.event.replay;

import java.security.SecureRandom;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.event.log.LogPages;
import io.micrometer.core.instrument.MeterRegistry;

/** The continuation-token key (configured, or random for this process only), and the pages read ahead. */
@Configuration(proxyBeanMethods = false)
class ReplayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReplayConfiguration.class);

    @Bean
    ContinuationTokens continuationTokens(ReplayProperties properties) {
        String secret = properties.tokenSecret();
        if (secret == null || secret.isBlank()) {
            log.warn("pocketbridge.event.replay.token-secret is not set: using a random key, so replay "
                    + "continuation tokens will not survive a restart or work across instances");
            byte[] key = new byte[ContinuationTokens.MIN_KEY_BYTES];
            new SecureRandom().nextBytes(key);
            return new ContinuationTokens(key);
        }
        byte[] key = Base64Url.decode(secret.strip()).orElseThrow(() -> new IllegalStateException(
                "pocketbridge.event.replay.token-secret must be base64url without padding"));
        return new ContinuationTokens(key);
    }

    @Bean
    ReadAhead replayReadAhead(LogPages log, ReplayProperties properties, Clock clock, MeterRegistry meters) {
        return new ReadAhead(properties.readAheadPages(), properties.readAheadMaxAge(),
                page -> ReplayService.read(log, page, properties, clock), System::nanoTime, meters);
    }
}
