package dev.pocketbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's memory: resident set size from {@code /proc/<pid>/status}, heap used from its
 * {@code /actuator/prometheus} ({@code jvm_memory_used_bytes{area="heap"}}, summed over pools; the
 * gateway exposes health, info and prometheus, not metrics) on its management port, on the
 * server's host. Before reading, a full GC is requested with {@code jcmd <pid> GC.run} so that
 * heap figures count live objects only.
 */
final class GatewayProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The gateway's management port, as its application.yml and the run command set it. */
    static final int MANAGEMENT_PORT = 9080;

    private final Long pid;
    private final URI management;

    GatewayProbe(Long pid, URI server) {
        this.pid = pid;
        this.management = URI.create(server.getScheme() + "://" + server.getHost() + ":" + MANAGEMENT_PORT);
    }

    Long pid() {
        return pid;
    }

    Results.Memory measure() {
        boolean gc = pid != null && forceGc();
        return new Results.Memory(rss(), heapUsed(), gc);
    }

    private boolean forceGc() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(List.of(jcmd.toString(), String.valueOf(pid), "GC.run"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            Thread.sleep(500);
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Long rss() {
        if (pid == null) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return parseKib(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    static Long parseKib(String statusLine) {
        String[] parts = statusLine.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }

    Long heapUsed() {
        return heap("jvm_memory_used_bytes");
    }

    /** The gateway's heap limit (its -Xmx), or null. */
    Long heapMax() {
        String body = prometheus();
        return body == null ? null : heapLimit(body);
    }

    private Long heap(String metric) {
        String body = prometheus();
        return body == null ? null : heap(body, metric);
    }

    private String prometheus() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(management + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Sums {@code jvm_memory_used_bytes{area="heap",…}} of a Prometheus text exposition. */
    static Long heapUsed(String exposition) {
        return heap(exposition, "jvm_memory_used_bytes");
    }

    /**
     * The heap limit from the pools' {@code jvm_memory_max_bytes}: their sum where each pool has a
     * share of the heap (serial, parallel), but the common value where every pool reports the whole
     * heap as its own limit (generational ZGC's young and old generations both report -Xmx).
     */
    static Long heapLimit(String exposition) {
        java.util.List<Double> maxes = new java.util.ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\"")) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+")[0]);
                if (v >= 0) {
                    maxes.add(v);
                }
            }
        }
        if (maxes.isEmpty()) {
            return null;
        }
        boolean allSame = maxes.stream().distinct().count() == 1;
        return (long) (allSame && maxes.size() > 1 ? maxes.getFirst()
                : maxes.stream().mapToDouble(Double::doubleValue).sum());
    }

    /** Sums {@code <metric>{area="heap",…}} over the heap pools (pools without a limit report -1 and are skipped). */
    static Long heap(String exposition, String metric) {
        double sum = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains("area=\"heap\"")) {
                String value = line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+")[0];
                double v = Double.parseDouble(value);
                if (v >= 0) {
                    sum += v;
                    found = true;
                }
            }
        }
        return found ? (long) sum : null;
    }
}
