package dev.strand.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module layout is the architecture, and these are its rules: dependencies point one way,
 * tensor ← autograd ← nn ← genomics ← app, the OpenCL backend is reached only through tensor's
 * {@code Backend} (ServiceLoader, never an import), and no two packages import each other, however
 * indirectly. Runs in app, whose class path holds every module's main classes.
 */
class ArchitectureTest {
    private static final JavaClasses STRAND = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.strand");

    @Test
    void modulesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("tensor").definedBy("dev.strand.tensor..")
                .layer("autograd").definedBy("dev.strand.autograd..")
                .layer("nn").definedBy("dev.strand.nn..")
                .layer("genomics").definedBy("dev.strand.genomics..")
                .layer("app").definedBy("dev.strand.cli..")
                .layer("opencl").definedBy("dev.strand.opencl..")
                .whereLayer("app").mayNotBeAccessedByAnyLayer()
                .whereLayer("genomics").mayOnlyBeAccessedByLayers("app")
                .whereLayer("nn").mayOnlyBeAccessedByLayers("genomics", "app")
                .whereLayer("autograd").mayOnlyBeAccessedByLayers("nn", "genomics", "app")
                .whereLayer("opencl").mayNotBeAccessedByAnyLayer()
                .check(STRAND);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.strand.(**)").should().beFreeOfCycles().check(STRAND);
    }

    @Test
    void theRulesSeeEveryModule() {
        // A rule over classes that were not imported passes vacuously; make sure they all were.
        for (String pkg : new String[] {"dev.strand.tensor", "dev.strand.autograd", "dev.strand.nn", "dev.strand.genomics", "dev.strand.cli", "dev.strand.opencl"}) {
            if (STRAND.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) throw new AssertionError("no classes of " + pkg + " imported");
        }
    }
}
