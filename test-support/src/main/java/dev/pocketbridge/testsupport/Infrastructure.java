package dev.pocketbridge.testsupport;

/** Chooses between containers and embedded servers once per JVM. */
final class Infrastructure {

    /** Set {@code -Dpocketbridge.test.containers=false} to use embedded servers even where Docker runs. */
    private static final boolean CONTAINERS_ALLOWED =
            Boolean.parseBoolean(System.getProperty("pocketbridge.test.containers", "true"));
    private static Boolean docker;

    private Infrastructure() {
    }

    static synchronized boolean dockerAvailable() {
        if (docker == null) {
            docker = CONTAINERS_ALLOWED && SharedPostgres.isDockerClientUsable();
        }
        return docker;
    }
}
