package dev.pocketbridge.event;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.testsupport.ArchitectureRules;

/** Features are packages without cycles, package-private by default, and no other service's classes. */
class ArchitectureTest {

    @Test
    void theServiceKeepsItsStructure() {
        ArchitectureRules.verify("dev.pocketbridge.event");
    }
}
