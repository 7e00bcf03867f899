package dev.pocketbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/** Where and what was measured: the machine, the JDK, the commit, the versions. */
final class MachineInfo {

    private MachineInfo() {
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu_model", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        m.put("memory", mem == null ? null : formatKib(mem));
        m.put("os", osName());
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        m.put("bench_jvm_max_heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        long files = ConnectionsWorkload.openFileLimit();
        m.put("open_files_limit", files == Long.MAX_VALUE ? "unlimited" : files);
        return m;
    }

    /**
     * How the service JVMs running on this machine started, read from their command lines: from an
     * AOT cache an earlier run recorded, recording one, or without (the run command's choice:
     * docs/performance.md, "JVMs that start warm").
     */
    static String serviceJvms() {
        List<String> services = ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("-service-exec.jar")).toList();
        long cached = services.stream().filter(c -> c.contains("-XX:AOTCache=")).count();
        long recording = services.stream().filter(c -> c.contains("-XX:AOTCacheOutput=")).count();
        return String.format(Locale.ROOT, "service JVMs on this machine: %d, of them %d started from an AOT cache"
                + " an earlier run recorded, %d recording one as they run, %d without (docs/performance.md, \"JVMs that"
                + " start warm\")", services.size(), cached, recording, services.size() - cached - recording);
    }

    static Map<String, Object> versions(Path root) {
        Map<String, Object> m = new LinkedHashMap<>();
        Properties p = new Properties();
        try (InputStream in = MachineInfo.class.getResourceAsStream("/bench.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // versions stay unknown
        }
        m.put("pocketbridge", p.getProperty("pocketbridge.version"));
        m.put("spring_boot", springBootVersion(root));
        m.put("kafka", p.getProperty("kafka.version"));
        m.put("postgresql_jdbc", p.getProperty("postgresql.driver.version"));
        m.put("hdrhistogram", p.getProperty("hdrhistogram.version"));
        return m;
    }

    static Map<String, Object> git(Path root) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commit", run(root, "git", "rev-parse", "HEAD"));
        m.put("subject", run(root, "git", "log", "-1", "--format=%s"));
        String status = run(root, "git", "status", "--porcelain", "--untracked-files=no");
        m.put("uncommitted_changes", status == null ? null : !status.isBlank());
        return m;
    }

    private static String springBootVersion(Path root) {
        Path jar = root.resolve("gateway-service/target/gateway-service-exec.jar");
        if (!Files.isRegularFile(jar)) {
            return null;
        }
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.getManifest() == null ? null : f.getManifest().getMainAttributes().getValue("Spring-Boot-Version");
        } catch (IOException e) {
            return null;
        }
    }

    private static String osName() {
        String pretty = null;
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    pretty = line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return pretty != null ? pretty : System.getProperty("os.name");
    }

    static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    int colon = line.indexOf(':');
                    return colon < 0 ? null : line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static String formatKib(String memTotal) {
        try {
            long kib = Long.parseLong(memTotal.split("\\s+")[0]);
            return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
        } catch (RuntimeException e) {
            return memTotal;
        }
    }

    private static String run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
