package dev.pocketbridge.kafka;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.testsupport.ArchitectureRules;

class ArchitectureTest {

    @Test
    void theLibraryHasNoPackageCycles() {
        ArchitectureRules.verifyLibrary("dev.pocketbridge.kafka");
    }
}
