package dev.pocketbridge.runner;

/** A child process for the supervisor's tests: sleeps until killed, or exits at once with the given code. */
public final class Sleeper {

    private Sleeper() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("sleeper " + ProcessHandle.current().pid() + " started");
        if (args.length > 0) {
            System.out.println("sleeper exits with " + args[0]);
            System.exit(Integer.parseInt(args[0]));
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
