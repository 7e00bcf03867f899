package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class SystemCpuTest {

    @Test
    void namesTheSystemsProcessesByTheirCommandLines() {
        assertThat(SystemCpu.part("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Xmx1g -XX:+UseZGC"
                + " -Xlog:gc:file=\"/x/.data/logs/gateway-service-gc.log\" -jar /x/gateway-service/target/gateway-service-exec.jar"
                + " --server.port=8080")).isEqualTo("gateway-service");
        assertThat(SystemCpu.part("/usr/bin/java -Xmx384m -jar /x/relay-service/target/relay-service-exec.jar"))
                .isEqualTo("relay-service");
        assertThat(SystemCpu.part("/usr/bin/java -Xmx512m -cp /x/local-runner/target/lib/* kafka.Kafka"
                + " /x/.data/kafka/server.properties")).isEqualTo("Kafka broker");
        assertThat(SystemCpu.part("/tmp/embedded-pg/PG-16c5/bin/postgres -D /x/.data/postgres -p 15432 -F"))
                .isEqualTo("PostgreSQL");
        assertThat(SystemCpu.part("postgres -D /var/lib/postgresql/data")).isEqualTo("PostgreSQL");
        assertThat(SystemCpu.part("postgres: checkpointer ")).as("a backend counts with its postmaster").isNull();
        assertThat(SystemCpu.part("/usr/bin/java -cp /x/local-runner/target/local-runner.jar"
                + " dev.pocketbridge.runner.LocalRunner /x")).isNull();
        assertThat(SystemCpu.part("/usr/bin/java -cp /x/bench/target/bench.jar dev.pocketbridge.bench.Bench")).isNull();
        assertThat(SystemCpu.part("grep gateway-service")).as("not a JVM").isNull();
    }

    @Test
    void readsAProcessesTicksAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4711 (postgres: (wal) writer) S 1 4711 4711 0 -1 4194368 120 0 0 0 250 75 1000 500 20 0 1 0 88";
        assertThat(SystemCpu.ticks(stat, false)).isEqualTo(325);
        assertThat(SystemCpu.ticks(stat, true)).as("with its reaped children").isEqualTo(1825);
    }

    @Test
    void countsIdleAndIowaitAsNotBusy() {
        long[] ticks = SystemCpu.machineTicks("cpu  100 5 50 1000 20 3 2 1 40 0");
        assertThat(ticks[0]).as("user, nice, system, irq, softirq, steal; guest is within user").isEqualTo(161);
        assertThat(ticks[1]).isEqualTo(1181);
    }

    /** A real process of a named part burns about 2 s of CPU between two snapshots; the other parts took none. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void measuresTheCpuOfARealProcessByItsPart(@TempDir Path dir) throws Exception {
        Path burn = dir.resolve("Burn.java");
        Files.writeString(burn, """
                class Burn {
                    public static void main(String[] args) throws Exception {
                        long end = System.nanoTime() + 2_000_000_000L;
                        long x = 0;
                        while (System.nanoTime() < end) {
                            x++;
                        }
                        System.out.println("burnt " + (x & 1));
                        System.in.read();
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Dpart=relay-service", burn.toString())).start();
        try {
            SystemCpu cpu = SystemCpu.of(() -> Stream.of(child.toHandle()));
            SystemCpu.Snapshot start = cpu.snapshot();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).startsWith("burnt");
                Results.Cpu measured = cpu.between(start, cpu.snapshot());
                assertThat(measured.secondsByPart().get("relay-service")).isBetween(1.5, measured.seconds() * measured.cores());
                assertThat(measured.secondsByPart()).containsKeys(SystemCpu.PARTS.toArray(String[]::new));
                assertThat(measured.secondsByPart().get("gateway-service")).isZero();
                assertThat(measured.machineBusyCores()).isGreaterThan(0.5);
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void measuresNothingWithoutProcessesToLookAt() {
        SystemCpu none = SystemCpu.NONE;
        assertThat(none.between(none.snapshot(), none.snapshot())).isNull();
    }
}
