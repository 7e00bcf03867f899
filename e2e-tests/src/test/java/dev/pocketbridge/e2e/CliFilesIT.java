package dev.pocketbridge.e2e;

import static dev.pocketbridge.e2e.Fixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code device-client/pocketbridge-cli}, the script people run, against the running system: two
 * devices made with register, pair and join; {@code send --file} of a file of three chunks
 * (docs/content-format.md) and {@code listen --save-dir}, which writes it once its SHA-256 checks
 * out, with progress on both sides, and never over a file already there. The laptop keeps its
 * state in the default place (its {@code HOME}'s {@code .config/pocketbridge}), the phone in a
 * {@code --state} file. Three sends of the laptop started at once take turns, and all are stored.
 */
class CliFilesIT {

    private static final Pattern CODE = Pattern.compile("pairing code: (\\S+)");

    @TempDir
    Path dir;

    @BeforeAll
    static void system() {
        RunningSystem.get();
    }

    private record Run(int status, String out, String err) {
    }

    @Test
    void aFileOfSeveralChunksSentWithTheCliIsSavedByAListeningCliWhole() throws Exception {
        Path laptopHome = Files.createDirectories(dir.resolve("laptop-home"));
        String phoneState = dir.resolve("phone.json").toString();
        Run registered = cli(laptopHome, "register", "--name", "laptop");
        assertThat(registered.status()).as(registered.err()).isZero();
        assertThat(laptopHome.resolve(".config/pocketbridge/device.json")).exists();
        Run paired = cli(laptopHome, "pair");
        Matcher code = CODE.matcher(paired.out());
        assertThat(code.find()).as(paired.out() + paired.err()).isTrue();
        Run joined = cli(laptopHome, "join", "--code", code.group(1), "--name", "phone", "--state", phoneState);
        assertThat(joined.status()).as(joined.err()).isZero();

        Path inbox = dir.resolve("inbox");
        Path listenOut = dir.resolve("listen.out");
        Path listenErr = dir.resolve("listen.err");
        Process listen = start(laptopHome, List.of("listen", "--state", phoneState, "--save-dir", inbox.toString()))
                .redirectOutput(listenOut.toFile()).redirectError(listenErr.toFile()).start();
        try {
            await().atMost(WAIT).until(() -> Files.readString(listenOut).contains("connected, session"));
            byte[] content = new byte[1_300_000]; // 512 KiB + 512 KiB + 251,424 bytes: three chunks
            new Random(11).nextBytes(content);
            Path file = Files.write(dir.resolve("holiday.mov"), content);

            Run sent = cli(laptopHome, "send", "--file", file.toString());

            assertThat(sent.status()).as(sent.err()).isZero();
            assertThat(sent.out()).startsWith("sent holiday.mov (1.2 MiB in 3 chunks, stream files, seq ");
            assertThat(sent.err()).as("plain progress lines: not a terminal")
                    .contains("sending holiday.mov: 1/3 chunks, 512.0 KiB of 1.2 MiB\n")
                    .contains("sending holiday.mov: 3/3 chunks, 1.2 MiB of 1.2 MiB\n");
            await().atMost(WAIT).until(() -> Files.readString(listenOut).contains("saved holiday.mov"));
            assertThat(inbox.resolve("holiday.mov")).hasBinaryContent(content);
            assertThat(Files.readString(listenErr)).contains("receiving holiday.mov: 3/3 chunks");
            assertThat(inbox.resolve(".pocketbridge-partial")).as("no chunks left waiting").doesNotExist();

            Run again = cli(laptopHome, "send", "--file", file.toString());
            Run text = cli(laptopHome, "send", "--text", "both sent");

            assertThat(again.status()).isZero();
            assertThat(text.status()).isZero();
            await().atMost(WAIT).until(() -> Files.readString(listenOut).contains(": both sent"));
            assertThat(inbox.resolve("holiday (1).mov")).as("never over the first").hasBinaryContent(content);
            assertThat(Files.readString(listenOut)).contains(" clipboard#1 text from ");

            // Three sends of one device at once take turns (a device has one session at a time), so
            // none closes another's session (4409) and each is stored with a device_seq of its own.
            List<Run> together;
            try (ExecutorService three = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Callable<Run>> sends = IntStream.rangeClosed(1, 3)
                        .mapToObj(i -> (Callable<Run>) () -> cli(laptopHome, "send", "--text", "together " + i)).toList();
                together = three.invokeAll(sends).stream().map(CliFilesIT::result).toList();
            }
            assertThat(together).allSatisfy(run -> assertThat(run.status()).as(run.err()).isZero());
            await().atMost(WAIT).until(() -> Files.readString(listenOut).contains(": together 1")
                    && Files.readString(listenOut).contains(": together 2") && Files.readString(listenOut).contains(": together 3"));
        } finally {
            listen.destroy();
            listen.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWrongCommandLineIsExitStatus2AndHelpIsExitStatus0() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));

        Run wrong = cli(home, "send", "--file");
        Run help = cli(home, "listen", "--help");

        assertThat(wrong.status()).isEqualTo(2);
        assertThat(wrong.err()).startsWith("error: Missing required parameter for option '--file' (PATH)\n");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("--save-dir=DIR");
    }

    private static Run result(Future<Run> run) {
        try {
            return run.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the CLI to its end with {@code home} as HOME and the system's first gateway as server. */
    private Run cli(Path home, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        Process process = start(home, List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("pocketbridge-cli " + List.of(args)).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static ProcessBuilder start(Path home, List<String> args) {
        List<String> command = new ArrayList<>(List.of(RunningSystem.root().resolve("device-client/pocketbridge-cli")
                .toString(), args.getFirst(), "--server", RunningSystem.get().gateway(0)));
        command.addAll(args.subList(1, args.size()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("HOME", home.toString());
        env.remove("XDG_CONFIG_HOME");
        env.remove("POCKETBRIDGE_STATE");
        env.put("JAVA_HOME", System.getProperty("java.home")); // this JVM: Java 21 or newer
        return builder;
    }
}
