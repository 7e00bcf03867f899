package dev.pocketbridge.runner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** A JVM the runner started, with its output in a log file. Stopped with SIGTERM, then killed. */
public final class ChildProcess implements Supervisor.Running {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Adopts a process started elsewhere (its output already going to {@code log}), e.g. to supervise it. */
    public static ChildProcess adopt(String name, Process process, Path log) {
        return new ChildProcess(name, process, log);
    }

    static ChildProcess startJava(String name, List<String> jvmAndArgs, Path workDir, Path log) throws IOException {
        return startJava(name, jvmAndArgs, Map.of(), workDir, log);
    }

    static ChildProcess startJava(String name, List<String> jvmAndArgs, Map<String, String> environment, Path workDir,
            Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ChildProcess(name, process, log);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String exitDescription() {
        if (process.isAlive()) {
            return "running";
        }
        int code = process.exitValue();
        return code > 128 ? "killed by signal " + (code - 128) + signalName(code - 128) : "exit code " + code;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> " (SIGKILL)";
            case 15 -> " (SIGTERM)";
            case 6 -> " (SIGABRT)";
            case 11 -> " (SIGSEGV)";
            default -> "";
        };
    }

    /** How the process ended, or empty while it runs. */
    OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Asks the process to stop (SIGTERM) without waiting. */
    void requestStop() {
        process.destroy();
    }

    /** Stops the process: SIGTERM, then SIGKILL if it is still running after {@code grace}. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the log, to show why a child failed. */
    @Override
    public String tail(int lines) {
        return tail(log, lines);
    }

    /** The last lines of a log file, read from its last 64 KiB (logs grow long over a run). */
    public static String tail(Path log, int lines) {
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            long size = channel.size();
            ByteBuffer end = ByteBuffer.allocate((int) Math.min(size, 64 * 1024));
            channel.position(size - end.capacity());
            while (end.hasRemaining() && channel.read(end) >= 0) {
                // reads the rest of the window
            }
            List<String> all = new String(end.array(), 0, end.position(), StandardCharsets.UTF_8).lines().toList();
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
