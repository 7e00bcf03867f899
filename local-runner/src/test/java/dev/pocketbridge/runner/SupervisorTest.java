package dev.pocketbridge.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run command's supervisor against real child JVMs, killed for real. */
class SupervisorTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<ChildProcess> started = new ArrayList<>();
    private Supervisor supervisor;
    private Thread loop;

    @AfterEach
    void stop() throws InterruptedException {
        if (supervisor != null) {
            supervisor.stop();
            loop.join(5000);
        }
        started.forEach(c -> c.stop(Duration.ofSeconds(5)));
    }

    @Test
    void aKilledProcessIsStartedAgainAndTheOutputSaysWhichWhyAndWhenItIsReady() throws Exception {
        ChildProcess first = sleeper();
        supervise(policy(Duration.ofMillis(200), Duration.ofSeconds(2)), first, this::sleeper);
        await().atMost(Duration.ofSeconds(20)).until(() -> first.tail(5).contains("started"));

        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.restarts("sleeper") == 1
                && supervisor.current("sleeper").isAlive() && printed().contains("sleeper is ready again"));
        assertThat(supervisor.current("sleeper")).isNotSameAs(first);
        assertThat(printed())
                .contains("sleeper stopped unexpectedly (killed by signal 9 (SIGKILL)); restarting it in 0.2 s")
                .contains("sleeper " + first.pid() + " started") // the dead process's last log lines
                .contains("restarted sleeper (restart 1)");
    }

    @Test
    void aProcessThatKeepsFailingIsRestartedWithADoublingBackOffUpToTheMaximum() throws Exception {
        ChildProcess first = failing();
        supervise(policy(Duration.ofMillis(100), Duration.ofMillis(400)), first, this::failing);

        await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.restarts("sleeper") >= 4);
        supervisor.stop();

        Matcher waits = Pattern.compile("sleeper stopped unexpectedly \\(exit code 3\\); restarting it in ([0-9.]+) s")
                .matcher(printed());
        List<String> backoffs = new ArrayList<>();
        while (waits.find()) {
            backoffs.add(waits.group(1));
        }
        assertThat(backoffs).startsWith("0.1", "0.2", "0.4", "0.4");
    }

    @Test
    void afterStopNothingIsRestarted() throws Exception {
        ChildProcess first = sleeper();
        supervise(policy(Duration.ofMillis(100), Duration.ofMillis(100)), first, this::sleeper);
        await().atMost(Duration.ofSeconds(5)).until(loop::isAlive);

        supervisor.stop();
        first.stop(Duration.ofSeconds(5));

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> supervisor.restarts("sleeper") == 0);
        assertThat(printed()).doesNotContain("stopped unexpectedly");
    }

    private void supervise(Supervisor.Policy policy, ChildProcess first, Supervisor.Starter starter) {
        supervisor = new Supervisor(policy, new PrintStream(output, true, StandardCharsets.UTF_8));
        supervisor.supervise("sleeper", first, starter, () -> true);
        loop = Thread.ofPlatform().daemon().start(() -> {
            try {
                supervisor.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static Supervisor.Policy policy(Duration initial, Duration max) {
        return new Supervisor.Policy(initial, max, Duration.ofMinutes(1), Duration.ofMillis(50));
    }

    private ChildProcess sleeper() throws IOException {
        return start();
    }

    private ChildProcess failing() throws IOException {
        return start("3");
    }

    private ChildProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
                Sleeper.class.getName()));
        command.addAll(List.of(args));
        ChildProcess child = ChildProcess.startJava("sleeper", command, dir, dir.resolve("sleeper.log"));
        started.add(child);
        return child;
    }

    private String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
