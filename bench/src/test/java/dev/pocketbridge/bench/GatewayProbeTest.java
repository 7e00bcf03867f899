package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayProbeTest {

    @Test
    void sumsTheHeapPoolsOfAPrometheusExposition() {
        String text = """
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{application="gateway-service",area="heap",id="Tenured Gen"} 1.2E7
                jvm_memory_used_bytes{application="gateway-service",area="heap",id="Eden Space"} 3000000.0
                jvm_memory_used_bytes{application="gateway-service",area="nonheap",id="Metaspace"} 9.9E7
                jvm_memory_committed_bytes{area="heap",id="Eden Space"} 5.0E7
                """;
        assertThat(GatewayProbe.heapUsed(text)).isEqualTo(15_000_000L);
        assertThat(GatewayProbe.heapUsed("# nothing\n")).isNull();
    }

    @Test
    void readsRssInKib() {
        assertThat(GatewayProbe.parseKib("VmRSS:\t  123456 kB")).isEqualTo(123456L * 1024);
    }

    @Test
    void memoryPerSession() {
        assertThat(ConnectionsWorkload.perSession(1_000_000L, 3_048_000L, 1000)).isEqualTo(2048.0);
        assertThat(ConnectionsWorkload.perSession(null, 3L, 1000)).isNull();
        assertThat(ConnectionsWorkload.perSession(1L, 3L, 0)).isNull();
    }

    @Test
    void theSessionsHeapIsMeasuredFromTheLowerOfTheReadingsBeforeAndAfterThem() {
        // W1 and W2 still held 21 MiB when W3 began, let go while its sessions were open.
        assertThat(ConnectionsWorkload.heapBaseline(92_000_000L, 71_000_000L)).isEqualTo(71_000_000L);
        assertThat(ConnectionsWorkload.heapBaseline(71_000_000L, 72_000_000L)).isEqualTo(71_000_000L);
        assertThat(ConnectionsWorkload.heapBaseline(71_000_000L, null)).isEqualTo(71_000_000L);
        assertThat(ConnectionsWorkload.heapBaseline(null, 71_000_000L)).isNull();
    }

    @Test
    void theHeapLimitIsNotCountedTwiceWhenEveryPoolReportsTheWholeHeap() {
        String zgc = """
                jvm_memory_max_bytes{area="heap",id="ZGC Young Generation"} 1.073741824E9
                jvm_memory_max_bytes{area="heap",id="ZGC Old Generation"} 1.073741824E9
                jvm_memory_max_bytes{area="nonheap",id="Metaspace"} -1.0
                """;
        String serial = """
                jvm_memory_max_bytes{area="heap",id="Eden Space"} 1.0E8
                jvm_memory_max_bytes{area="heap",id="Survivor Space"} 2.0E7
                jvm_memory_max_bytes{area="heap",id="Tenured Gen"} 2.8E8
                """;
        assertThat(GatewayProbe.heapLimit(zgc)).isEqualTo(1_073_741_824L);
        assertThat(GatewayProbe.heapLimit(serial)).isEqualTo(400_000_000L);
        assertThat(GatewayProbe.heapLimit("")).isNull();
    }
}
