package dev.pocketbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

/**
 * {@code ./pocketbridge profile PID}: samples a running JVM with async-profiler (the native library
 * from Maven Central, {@code tools.profiler:async-profiler}, loaded into that JVM through the JDK's
 * attach API) and writes a flame graph ({@code .html}) or collapsed stacks (any other name). Unlike
 * JFR it sees native code, the JIT, the garbage collector and the kernel: where the W3 handshakes'
 * CPU went into choosing ports was found this way (docs/performance.md, "W3: the load generator ran
 * short of ephemeral ports").
 */
public final class Profile {

    /** Sampled every millisecond: CPU time (perf events, or a timer where they are not allowed), CPU by timer, wall clock. */
    private static final List<String> TIMED_EVENTS = List.of("cpu", "itimer", "wall");
    /** What may be sampled: the timed events, and allocations and lock contention at the profiler's own intervals. */
    static final List<String> EVENTS = Stream.concat(TIMED_EVENTS.stream(), Stream.of("alloc", "lock")).toList();

    private static final String USAGE = """
            usage: ./pocketbridge profile PID [options]
              Samples the running JVM PID with async-profiler for a while, then writes the result.

              --seconds N   how long to sample (30)
              --event E     cpu (default; perf events, or a timer where they are not allowed),
                            itimer, wall, alloc or lock
              --out FILE    FILE.html is a flame graph, any other name collapsed stacks
                            (default: .data/profiles/<pid>-<time>.html)
            """;

    private Profile() {
    }

    public static void main(String[] args) throws Exception {
        String pid = null;
        int seconds = 30;
        String event = "cpu";
        Path out = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    case "--seconds" -> seconds = Options.positive(a, value(args, ++i, a), 3600);
                    case "--event" -> event = value(args, ++i, a);
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    default -> {
                        if (pid != null || !a.matches("[0-9]+")) {
                            throw new Options.UsageException("unknown argument '" + a + "'");
                        }
                        pid = a;
                    }
                }
            }
            if (pid == null) {
                throw new Options.UsageException("which JVM? give its process id (jps lists them)");
            }
            if (!EVENTS.contains(event)) {
                throw new Options.UsageException("--event: one of " + EVENTS + ", not '" + event + "'");
            }
        } catch (Options.UsageException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (out == null) {
            out = Path.of(".data", "profiles", pid + "-" + Instant.now().getEpochSecond() + ".html");
        }
        System.out.printf(Locale.ROOT, "[profile] sampling %s (%s) for %d s%n", pid, event, seconds);
        try {
            run(pid, event, Duration.ofSeconds(seconds), out);
        } catch (IOException e) {
            System.err.println("[profile] " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("[profile] wrote " + out.toAbsolutePath());
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new Options.UsageException(name + " needs a value");
        }
        return args[i];
    }

    /**
     * Samples JVM {@code pid} for {@code length} by {@code event}, then writes {@code out}. Fails
     * when this platform has no library, the JVM cannot be attached to, or the profiler refused
     * (its reason is in that JVM's own output).
     */
    static void run(String pid, String event, Duration length, Path out) throws IOException, InterruptedException {
        Path library = library();
        Path absolute = out.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        command(pid, library, "start,event=" + event + (TIMED_EVENTS.contains(event) ? ",interval=1ms" : ""));
        Thread.sleep(length.toMillis());
        command(pid, library, "stop,file=" + absolute + (absolute.toString().endsWith(".html") ? "" : ",collapsed"));
        if (!Files.isRegularFile(absolute)) {
            throw new IOException("async-profiler wrote no " + absolute + " (its reason is in process " + pid + "'s output)");
        }
    }

    private static void command(String pid, Path library, String command) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to process " + pid + ": " + e.getMessage(), e);
        }
        try {
            vm.loadAgentPath(library.toString(), command);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new IOException("async-profiler refused '" + command + "' (its reason is in process " + pid
                    + "'s output): " + e.getMessage(), e);
        } finally {
            vm.detach();
        }
    }

    /**
     * The library for this platform, copied out of the async-profiler jar to a file the other JVM
     * can load, and kept: a JVM profiled again loads the same file, so the library it already
     * holds answers, not a second copy of it.
     */
    private static Path library() throws IOException {
        String resource = platform() + "/libasyncProfiler.so";
        URL url = Profile.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("async-profiler has no library for " + platform() + " on the class path");
        }
        URLConnection connection = url.openConnection();
        long size = connection.getContentLengthLong();
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "pocketbridge-libasyncProfiler-" + platform() + "-" + size + ".so");
        if (Files.isRegularFile(file) && Files.size(file) == size) {
            return file;
        }
        Path partial = Files.createTempFile(file.getParent(), "pocketbridge-libasyncProfiler", ".partial");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return file;
    }

    /** async-profiler's name for this platform: linux-x64, linux-arm64 or macos. */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (os.contains("mac")) {
            return "macos";
        }
        if (os.contains("linux")) {
            return arch.equals("aarch64") || arch.equals("arm64") ? "linux-arm64" : "linux-x64";
        }
        return os + "-" + arch;
    }
}
