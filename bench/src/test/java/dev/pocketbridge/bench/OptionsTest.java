package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Options o = Options.parse(List.of());
        assertThat(o.server()).isNull();
        assertThat(o.startsSystem()).isTrue();
        assertThat(o.serverOrDefault()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(o.workloads()).containsExactlyInAnyOrder(Options.Workload.values());
        assertThat(o.users()).isEqualTo(100);
        assertThat(o.devicesPerUser()).isEqualTo(3);
        assertThat(o.rate()).isEqualTo(2000);
        assertThat(o.payloadBytes()).isEqualTo(1024);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.w2Duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.w3Sessions()).isEqualTo(20_000);
        assertThat(o.w4Events()).isEqualTo(100_000);
        assertThat(o.overloadDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.out()).isEqualTo(Path.of("docs"));
        assertThat(o.kafka()).isEqualTo("127.0.0.1:19092");
        assertThat(o.postgres()).isEqualTo("127.0.0.1:15432");
    }

    @Test
    void readsEveryOptionInBothForms() {
        Options o = Options.parse(List.of("--server", "http://127.0.0.1:8080/", "--workloads=w1,W4,overload,Bare",
                "--users", "5", "--devices-per-user=5", "--rate", "20", "--payload-bytes", "36", "--duration", "10s",
                "--w2-duration", "2m", "--w2-probe", "500ms", "--w3-sessions", "200", "--w3-concurrency", "8",
                "--w4-events", "2_000", "--overload-duration", "7", "--out", "/tmp/x", "--gateway-pid", "42",
                "--kafka", "localhost:9092", "--postgres", "127.0.0.1:5432", "--register-concurrency", "2",
                "--root", "/tmp"));
        assertThat(o.server()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(o.startsSystem()).isFalse();
        assertThat(o.workloads()).isEqualTo(Set.of(Options.Workload.W1, Options.Workload.W4, Options.Workload.OVERLOAD,
                Options.Workload.BARE));
        assertThat(o.users()).isEqualTo(5);
        assertThat(o.devicesPerUser()).isEqualTo(5);
        assertThat(o.rate()).isEqualTo(20);
        assertThat(o.payloadBytes()).isEqualTo(36);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.w2Duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.w2Probe()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.w3Sessions()).isEqualTo(200);
        assertThat(o.w3Concurrency()).isEqualTo(8);
        assertThat(o.w4Events()).isEqualTo(2000);
        assertThat(o.overloadDuration()).isEqualTo(Duration.ofSeconds(7));
        assertThat(o.outDirectory()).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.gatewayPid()).isEqualTo(42L);
        assertThat(o.kafka()).isEqualTo("localhost:9092");
        assertThat(o.registerConcurrency()).isEqualTo(2);
        assertThat(o.root()).isEqualTo(Path.of("/tmp"));
    }

    @Test
    void relativeOutIsUnderTheRoot() {
        Options o = Options.parse(List.of("--root", "/srv/pb"));
        assertThat(o.outDirectory()).isEqualTo(Path.of("/srv/pb/docs"));
    }

    @Test
    void onlyLoopbackTargets() {
        assertThatThrownBy(() -> Options.parse(List.of("--server", "http://example.com:8080")))
                .isInstanceOf(Options.UsageException.class).hasMessageContaining("localhost or 127.0.0.1");
        assertThatThrownBy(() -> Options.parse(List.of("--server", "http://10.0.0.1:8080")))
                .isInstanceOf(Options.UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--kafka", "broker:9092")))
                .isInstanceOf(Options.UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--postgres", "db.internal:5432")))
                .isInstanceOf(Options.UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--server", "ftp://localhost")))
                .isInstanceOf(Options.UsageException.class);
        assertThat(Options.parse(List.of("--server", "http://localhost:18080")).server())
                .isEqualTo(URI.create("http://localhost:18080"));
    }

    @Test
    void refusesBadValues() {
        assertThatThrownBy(() -> Options.parse(List.of("--devices-per-user", "6")))
                .isInstanceOf(Options.UsageException.class).hasMessageContaining("2..5");
        assertThatThrownBy(() -> Options.parse(List.of("--devices-per-user", "1")))
                .isInstanceOf(Options.UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--payload-bytes", "35")))
                .isInstanceOf(Options.UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--rate", "0")))
                .isInstanceOf(Options.UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--rate", "fast")))
                .isInstanceOf(Options.UsageException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Options.parse(List.of("--duration", "10x")))
                .isInstanceOf(Options.UsageException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> Options.parse(List.of("--duration", "0s")))
                .isInstanceOf(Options.UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--workloads", "W1,W9")))
                .isInstanceOf(Options.UsageException.class).hasMessageContaining("W9");
        assertThatThrownBy(() -> Options.parse(List.of("--workloads", ",")))
                .isInstanceOf(Options.UsageException.class);
        assertThatThrownBy(() -> Options.parse(List.of("--users")))
                .isInstanceOf(Options.UsageException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Options.parse(List.of("--frobnicate", "1")))
                .isInstanceOf(Options.UsageException.class).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> Options.parse(List.of("W1")))
                .isInstanceOf(Options.UsageException.class);
    }

    @Test
    void warmupAndFaultInjection() {
        Options o = Options.parse(List.of());
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.inject()).isEqualTo(FaultInjector.Fault.NONE);
        assertThat(o.describe()).doesNotContainKey("inject");
        o = Options.parse(List.of("--warmup", "0", "--inject", "cross-user"));
        assertThat(o.warmup()).isEqualTo(Duration.ZERO);
        assertThat(o.inject()).isEqualTo(FaultInjector.Fault.CROSS_USER);
        assertThat(o.describe()).containsEntry("warmup", "none").containsKey("inject");
        assertThatThrownBy(() -> Options.parse(List.of("--inject", "chaos")))
                .isInstanceOf(Options.UsageException.class).hasMessageContaining("drop, lose, reorder, cross-user");
    }

    @Test
    void helpIsAUsageExceptionWithoutMessage() {
        assertThatThrownBy(() -> Options.parse(List.of("--help")))
                .isInstanceOf(Options.UsageException.class).hasMessage("");
    }

    @Test
    void durationsRoundTrip() {
        assertThat(Durations.format(Options.duration("--d", "30s"))).isEqualTo("30s");
        assertThat(Durations.format(Options.duration("--d", "2m"))).isEqualTo("2m");
        assertThat(Durations.format(Options.duration("--d", "1500ms"))).isEqualTo("1500ms");
        assertThat(Options.duration("--d", "45")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void theCommandLineShownLeavesOutTheScriptsRoot() {
        assertThat(Bench.command(new String[] {"--root", "/work/main", "--users", "5"}))
                .isEqualTo("./pocketbridge bench --users 5");
        assertThat(Bench.command(new String[] {})).isEqualTo("./pocketbridge bench");
    }
}
