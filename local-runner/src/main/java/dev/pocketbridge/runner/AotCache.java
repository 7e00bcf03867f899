package dev.pocketbridge.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How the run command launches a service's JVM so that it starts warm: on JDK 25 and later, from
 * the service's jar extracted once per build, with the AOT cache (JEPs 483, 514 and 515) its
 * previous run recorded: the classes it loaded, already parsed and linked, and the method
 * profiles of what it ran, so that the next start loads faster and compiles its hot code sooner
 * (docs/performance.md, "JVMs that start warm"). The JVM caches classes from plain jars on the
 * class path only, never from the nested jars of Spring Boot's launcher, hence the extraction
 * (Spring Boot's own {@code -Djarmode=tools extract}).
 *
 * <p>A start without a usable cache records one, which the JVM writes when it ends after SIGTERM
 * (it assembles the cache in a child JVM, some seconds). The recording becomes the cache only if
 * its JVM ended that way or by itself ({@link #settle}); one that was killed or crashed is
 * thrown away, and the next start records again. A new build of the jar is extracted again and
 * its cache recorded anew, and so is a cache for another JDK or other JVM options. Before JDK 25,
 * with {@code POCKETBRIDGE_AOT_CACHE=off}, or when the extraction fails, the jar is launched as
 * it is. The JVM checks a cache itself (its JDK, class path and options) and runs without one it
 * cannot use, so a cache never stops a service from starting.
 */
final class AotCache {

    /** The first JDK whose AOT cache keeps method profiles (JEP 515) and records in one run (JEP 514). */
    static final int FIRST_JDK = 25;

    /** Exit codes of a JVM that ended cleanly: by itself, or after SIGTERM (128 + 15). */
    private static final List<Integer> CLEAN_EXITS = List.of(0, 143);

    /** Unpacks a Spring Boot jar into a directory, leaving a plain jar of the same name and its lib/ there. */
    @FunctionalInterface
    interface Extractor {
        void extract(Path jar, Path destination) throws IOException, InterruptedException;
    }

    private final Path jar;
    private final Path home;
    private final boolean enabled;
    /** The JDK and JVM options the cache is for: a cache recorded under others would not be used. */
    private final String jvm;
    private final Extractor extractor;
    /** Whether the JVM launched last was told to record a cache. */
    private boolean recordingLaunched;

    /**
     * @param jar the service's executable jar
     * @param home a directory of its own for the extracted jar and the cache (beside the jar, so a
     *     clean build removes both)
     * @param jvm the JDK and the JVM options the service runs with: when they change, the cache is
     *     recorded anew
     */
    AotCache(Path jar, Path home, boolean enabled, String jvm, Extractor extractor) {
        this.jar = jar;
        this.home = home;
        this.enabled = enabled;
        this.jvm = jvm;
        this.extractor = extractor;
    }

    /**
     * For a service run by this JVM's JDK with {@code jvmOptions}: enabled on JDK 25 and later
     * unless the environment says {@code POCKETBRIDGE_AOT_CACHE=off}; extracting with Spring Boot's
     * tools into {@code home}, their output going to {@code log}.
     */
    static AotCache forService(Path jar, Path home, List<String> jvmOptions, Path log) {
        boolean enabled = Runtime.version().feature() >= FIRST_JDK && !"off".equals(System.getenv("POCKETBRIDGE_AOT_CACHE"));
        String jvm = System.getProperty("java.home") + " " + Runtime.version() + " " + String.join(" ", jvmOptions);
        return new AotCache(jar, home, enabled, jvm, (from, to) -> extractWithBootTools(from, to, log));
    }

    /**
     * The JVM options and the jar to launch: {@code -XX:AOTCache} with the recorded cache, or
     * {@code -XX:AOTCacheOutput} to record one. Extracts the jar first when it is new; when that
     * fails, the jar as it is, and the output says why.
     */
    List<String> launchArguments() {
        if (!enabled) {
            return List.of("-jar", jar.toString());
        }
        Path extracted;
        try {
            extracted = extracted();
        } catch (IOException e) {
            System.out.println("[pocketbridge] " + jar.getFileName() + " starts without an AOT cache: extracting it failed: "
                    + e.getMessage());
            return List.of("-jar", jar.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("-jar", jar.toString());
        }
        recordingLaunched = !Files.isRegularFile(cache());
        String cacheOption = recordingLaunched ? "-XX:AOTCacheOutput=" + recordingFile() : "-XX:AOTCache=" + cache();
        return List.of(cacheOption, "-jar", extracted.toString());
    }

    /** Extracts the jar now if it is new, so that the launch does not wait for it; a failure is reported at the launch. */
    void prepare() {
        if (!enabled) {
            return;
        }
        try {
            extracted();
        } catch (IOException e) {
            // launchArguments() tries again and says why it launches the jar as it is
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when the JVM launched last records a cache as it ends: stopping it takes longer. */
    boolean recording() {
        return recordingLaunched;
    }

    /**
     * Called once the JVM launched last has ended ({@code exitCode} given) or before the first
     * launch (empty): its recording becomes the cache if it ended cleanly, and is thrown away
     * otherwise. Returns, for a JVM that was to record a cache and ended without one, what to tell
     * the user after the service's name (a JVM can crash in the JDK's own cache dump as it stops:
     * its report is in the logs).
     */
    Optional<String> settle(OptionalInt exitCode) throws IOException {
        boolean wasRecording = recordingLaunched;
        recordingLaunched = false;
        Path recording = recordingFile();
        boolean kept = false;
        if (Files.exists(recording)) {
            kept = exitCode.isPresent() && CLEAN_EXITS.contains(exitCode.getAsInt()) && Files.size(recording) > 0;
            if (kept) {
                Files.move(recording, cache(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.delete(recording);
            }
        }
        if (!wasRecording || kept || exitCode.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("ended (exit code " + exitCode.getAsInt()
                + ") without writing its AOT cache; it records one again at its next start");
    }

    Path cache() {
        return home.resolve("app.aot");
    }

    private Path recordingFile() {
        return home.resolve("app.aot.recording");
    }

    /**
     * The extracted jar, extracted now unless this build of the jar already is, for this JDK and
     * these options (the jar's size and time and the JVM match what was noted at the extraction).
     */
    private synchronized Path extracted() throws IOException, InterruptedException {
        Path app = home.resolve("app");
        Path stamp = home.resolve("source");
        String source = Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() + "\n" + jvm;
        Path extractedJar = app.resolve(jar.getFileName());
        if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(source) && Files.isRegularFile(extractedJar)) {
            return extractedJar;
        }
        deleteRecursively(home);
        Files.createDirectories(home);
        extractor.extract(jar, app);
        if (!Files.isRegularFile(extractedJar)) {
            throw new IOException("no " + extractedJar + " after extracting");
        }
        Files.writeString(stamp, source);
        return extractedJar;
    }

    private static void extractWithBootTools(Path jar, Path destination, Path log) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Djarmode=tools", "-jar", jar.toString(),
                "extract", "--destination", destination.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("not done in 120 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("exit code " + process.exitValue() + " (see " + log + ")");
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
