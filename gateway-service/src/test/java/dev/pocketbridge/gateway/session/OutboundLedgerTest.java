package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class OutboundLedgerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final OutboundLedger ledger = new OutboundLedger(meters);

    @Test
    void aBudgetTakesFramesUpToItsBytesAndTheNodeCountsEveryBudget() {
        OutboundLedger.Budget a = ledger.open(100);
        OutboundLedger.Budget b = ledger.open(100);
        assertThat(a.tryReserve(60)).isTrue();
        assertThat(a.tryReserve(41)).isFalse(); // would pass 100: nothing reserved
        assertThat(a.tryReserve(40)).isTrue();
        assertThat(b.tryReserve(30)).isTrue();
        assertThat(ledger.queuedBytes()).isEqualTo(130);
        assertThat(meters.get(OutboundLedger.QUEUED_METRIC).gauge().value()).isEqualTo(130);

        a.release(60); // written
        assertThat(a.queued()).isEqualTo(40);
        assertThat(a.tryReserve(60)).isTrue();
        assertThat(ledger.queuedBytes()).isEqualTo(130);
    }

    @Test
    void aClosedBudgetLeavesTheAccountAndLateReleasesChangeNothing() {
        OutboundLedger.Budget a = ledger.open(100);
        OutboundLedger.Budget b = ledger.open(100);
        a.tryReserve(70);
        b.tryReserve(20);
        a.close();
        assertThat(ledger.queuedBytes()).isEqualTo(20);
        a.release(70); // a write that failed as the connection closed
        assertThat(ledger.queuedBytes()).isEqualTo(20);
        assertThat(a.tryReserve(1)).isFalse();
    }
}
