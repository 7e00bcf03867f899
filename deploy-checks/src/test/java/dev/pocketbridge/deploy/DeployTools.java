package dev.pocketbridge.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.pocketbridge.testsupport.ExternalTools;

/**
 * The command-line tools the checks run, where {@code .ci/install-deploy-tools} puts them: helm and
 * the npm packages in {@code .tools/} at the repository root, docker-compose, promtool, node, bash and
 * openssl on the {@code PATH}. A missing tool skips the test that needs it, saying which and how to install
 * it, except when the environment variable {@code CI} is set: there it fails the test.
 */
final class DeployTools {

    static final Path ROOT = Path.of(System.getProperty("pocketbridge.root", "..")).toAbsolutePath().normalize();
    static final Path TOOLS = ROOT.resolve(".tools");
    static final Path CHART = ROOT.resolve("helm/pocketbridge");
    static final Path VALIDATOR = ROOT.resolve("deploy-checks/src/test/node/validate-manifests.mjs");

    private static final String INSTALL = "run .ci/install-deploy-tools (Debian: apt packages and .tools/)";

    private DeployTools() {
    }

    static String helm() {
        Path installed = TOOLS.resolve("bin/helm");
        if (Files.isExecutable(installed)) {
            return installed.toString();
        }
        return onPath("helm").orElseGet(() -> missing("helm"));
    }

    static String node() {
        String node = onPath("node").orElseGet(() -> missing("node"));
        if (!Files.isDirectory(TOOLS.resolve("node_modules/kubernetes-models"))
                || !Files.isDirectory(TOOLS.resolve("node_modules/yaml"))) {
            missing("the npm packages kubernetes-models and yaml in .tools/node_modules");
        }
        return node;
    }

    static String dockerCompose() {
        return onPath("docker-compose").orElseGet(() -> missing("docker-compose"));
    }

    /** Prometheus's promtool (Debian's {@code prometheus} package carries it). */
    static String promtool() {
        return onPath("promtool").orElseGet(() -> missing("promtool"));
    }

    static String bash() {
        return onPath("bash").orElseGet(() -> missing("bash"));
    }

    static void requireOpenssl() {
        onPath("openssl").orElseGet(() -> missing("openssl"));
    }

    private static String missing(String tool) {
        return ExternalTools.missing(tool, INSTALL);
    }

    private static Optional<String> onPath(String name) {
        return ExternalTools.onPath(name);
    }

    /** What a command printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {

        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /**
     * Runs a command in the repository root with a small, fixed environment (PATH, HOME, LANG, helm's
     * directories under target/) plus {@code environment}, so that nothing from the caller's own
     * environment (a POSTGRES_PASSWORD, a KUBECONFIG) changes the outcome.
     */
    static Result run(List<String> command, String stdin, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        Map<String, String> env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.clear();
        Path home = ROOT.resolve("deploy-checks/target/tool-home");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("PATH", path);
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
        env.put("HELM_CACHE_HOME", home.resolve("helm/cache").toString());
        env.put("HELM_CONFIG_HOME", home.resolve("helm/config").toString());
        env.put("HELM_DATA_HOME", home.resolve("helm/data").toString());
        env.putAll(environment);
        try {
            Process process = builder.start();
            CompletableFuture<String> out = read(process.getInputStream());
            CompletableFuture<String> err = read(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the command may exit without reading all of its input: its exit code says why
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("timed out after 60 s: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result run(String... command) {
        return run(List.of(command), null, Map.of());
    }

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static List<String> list(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
