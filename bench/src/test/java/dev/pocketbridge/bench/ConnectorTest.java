package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

class ConnectorTest {

    private final Connector connector = new Connector(URI.create("ws://localhost:8080/ws"), new byte[32]);

    private void failed(String key, int times) {
        connector.failures.computeIfAbsent(key, k -> new LongAdder()).add(times);
    }

    @Test
    void handshakesRefusedForTheirRatePointToTheLimitsASystemNamedWithServerNeeds() {
        failed("SessionClosedException", 12);
        failed("rate_limited (close 4029)", 29);

        assertThat(connector.failureSummary())
                .startsWith("{SessionClosedException=12, rate_limited (close 4029)=29}")
                .contains("a system named with --server needs the rate limits the bench lifts");
    }

    @Test
    void otherFailuresAreOnlyCounted() {
        failed("connect_failed", 3);
        failed("timeout", 1);

        assertThat(connector.failureSummary()).isEqualTo("{connect_failed=3, timeout=1}");
    }
}
