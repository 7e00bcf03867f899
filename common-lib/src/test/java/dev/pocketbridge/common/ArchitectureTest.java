package dev.pocketbridge.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * common-lib is the protocol, shared by every service and by clients: no Spring, no package cycles.
 * (test-support's {@code ArchitectureRules} serves the other modules; it depends on common-lib, so
 * common-lib checks itself.)
 */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.pocketbridge.common");

    @Test
    void usesNoSpring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(classes);
    }

    @Test
    void hasNoPackageCycles() {
        slices().matching("dev.pocketbridge.common.(**)").should().beFreeOfCycles().check(classes);
    }
}
