package dev.pocketbridge.bench;

/** Progress output: one line per event, flushed at once. */
final class Console {

    private Console() {
    }

    static void say(String message) {
        System.out.println("[bench] " + message);
        System.out.flush();
    }

    static void progress(String workload, String message) {
        System.out.println("[" + workload + "] " + message);
        System.out.flush();
    }

    static void warn(String message) {
        System.out.println("[bench] WARNING: " + message);
        System.out.flush();
    }
}
