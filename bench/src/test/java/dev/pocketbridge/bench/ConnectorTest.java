package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

class ConnectorTest {

    private final Connector connector = new Connector(List.of(URI.create("ws://localhost:8080/ws")), new byte[32]);

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

    @Test
    void everyClientGetsAsManySessionsOfEveryAddress() {
        Connector spread = Connector.spread(URI.create("ws://localhost:8080/ws"), new byte[32], uri -> true);
        int addresses = spread.webSocketUris().size();
        Set<Connector.Route> round = new HashSet<>();
        for (int turn = 0; turn < addresses * Connector.RECEIVING_CLIENTS; turn++) {
            round.add(spread.route(turn));
        }

        assertThat(Connector.RECEIVING_CLIENTS).isGreaterThanOrEqualTo(2);
        assertThat(round).hasSize(addresses * Connector.RECEIVING_CLIENTS);
        assertThat(round.stream().map(Connector.Route::client).distinct()).hasSize(Connector.RECEIVING_CLIENTS);
        assertThat(round.stream().map(Connector.Route::uri).distinct()).hasSize(addresses);
    }

    @Test
    void sessionsTakeTurnsOverTheLoopbackAddressesWhereTheGatewayAnswers() {
        Connector spread = Connector.spread(URI.create("ws://localhost:8080/ws"), new byte[32],
                uri -> !uri.getHost().equals("127.0.0.3"));

        assertThat(spread.webSocketUris()).extracting(URI::toString).containsExactly("ws://127.0.0.1:8080/ws",
                "ws://127.0.0.2:8080/ws", "ws://127.0.0.4:8080/ws", "ws://127.0.0.5:8080/ws", "ws://127.0.0.6:8080/ws",
                "ws://127.0.0.7:8080/ws", "ws://127.0.0.8:8080/ws");
    }

    @Test
    void aGatewayBoundToOneAddressIsReachedThere() {
        assertThat(Connector.spread(URI.create("ws://127.0.0.1:9000/ws"), new byte[32], uri -> false).webSocketUris())
                .containsExactly(URI.create("ws://127.0.0.1:9000/ws"));
    }

    @Test
    void aSecureOrRemoteGatewayKeepsItsOwnUri() {
        assertThat(Connector.spread(URI.create("wss://localhost:8443/ws"), new byte[32], uri -> true).webSocketUris())
                .containsExactly(URI.create("wss://localhost:8443/ws"));
        assertThat(Connector.spread(URI.create("ws://gateway.example:8080/ws"), new byte[32], uri -> true).webSocketUris())
                .containsExactly(URI.create("ws://gateway.example:8080/ws"));
    }
}
