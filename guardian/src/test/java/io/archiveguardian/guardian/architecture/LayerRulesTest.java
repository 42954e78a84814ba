package io.archiveguardian.guardian.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md ("Layers as tests"), checked on the compiled main classes of
 * {@code guardian}. Each rule's {@code because} starts with the rule's name, so a build that breaks
 * one says which. Dependencies are read from bytecode: an import used only in Javadoc is not one.
 *
 * <p>Plain JUnit tests over one import rather than {@code @ArchTest} fields: Surefire 3.5.3, the
 * version this build pins, silently skips {@code @ArchTest} fields (ArchUnit issue 1442,
 * SUREFIRE-2298), and a rule that never runs passes.
 */
class LayerRulesTest {

    static final String GUARDIAN = "io.archiveguardian.guardian";
    private static final String DROP = GUARDIAN + ".drop";

    /**
     * Besides every {@code *Decision} and {@code *Planner}: the classes that docs/ or their own Javadoc
     * call pure. Matched by simple name, so a move between packages keeps them checked;
     * {@link #everyDocumentedPureDeciderExists} fails when a name here no longer exists. Declared
     * before the rules, which read it while the class initializes.
     */
    static final Set<String> DOCUMENTED_PURE = Set.of(
            "ArmGate",                 // docs/reserve-blocks.md, docs/architecture.md
            "RecoveryModel",           // docs/architecture.md "Need (pure, RecoveryModel)"
            "PrestartDecision",        // docs/architecture.md "Decision (pure, PrestartDecision)"
            "RecoveryGuard", "BallastRecommendation", "DropEffects",
            "CordonDecision",          // (CordonAlter is not here: it turns a decision into Kafka's AlterConfigOp)
            "DropPlanner",             // docs/drop.md "pure, for a snapshot built elsewhere"
            "RetentionPlanner",
            "PressureAssessor", "DiskForecast", "LogDirGrowth", "PressureEvents", // docs/log-dir-scan.md: disk assesses
            "StateChanges",
            "ClusterViews",            // docs/cluster-view.md "ClusterViews.assess, pure"
            "Heartbeats", "DropFacts", "ClusterText");

    static final ArchRule capabilityPackagesFormNoCycles = slices()
            .matching(GUARDIAN + ".(*)..").namingSlices("$1")
            .should().beFreeOfCycles()
            .because("layer rule 'no package cycles': dependencies point down, so no capability package"
                    + " (io.archiveguardian.guardian.*, with its sub-packages) reaches back into one that reaches it");

    static final ArchRule dropPackagesFormNoCycles = slices()
            .assignedFrom(dropAndEachSubPackage())
            .should().beFreeOfCycles()
            .because("layer rule 'no cycles inside drop': the model (drop) is below drop.observe, drop.exec"
                    + " and drop.render, and those three do not import each other in a circle");

    static final ArchRule nothingImportsTheSidecar = noClasses()
            .that().resideOutsideOfPackages(GUARDIAN + ".sidecar..", GUARDIAN + ".cli..", GUARDIAN + ".demo..")
            .should().dependOnClassesThat().resideInAPackage(GUARDIAN + ".sidecar..")
            .because("layer rule 'nothing imports sidecar': the sidecar wires the duties together and sits on top;"
                    + " only the entry points that start it may name it: cli (RunCommand) and demo (Demo runs a"
                    + " sidecar beside its embedded broker)");

    static final ArchRule nothingImportsTheCli = noClasses()
            .that().resideOutsideOfPackage(GUARDIAN + ".cli..")
            .should().dependOnClassesThat().resideInAPackage(GUARDIAN + ".cli..")
            .because("layer rule 'nothing imports cli': the CLI parses and prints; what a command does lives in"
                    + " the capability packages, where the sidecar and the HTTP API reuse it");

    static final ArchRule onlyTheCliImportsTheDemo = noClasses()
            .that().resideOutsideOfPackages(GUARDIAN + ".demo..", GUARDIAN + ".cli..")
            .should().dependOnClassesThat().resideInAPackage(GUARDIAN + ".demo..")
            .because("layer rule 'only cli imports demo': demo is an entry point like cli (guardian demo), which is"
                    + " what lets it start a sidecar; so only cli may name it");

    static final ArchRule onlyTheDemoUsesTheBrokersJars = noClasses()
            .that().resideOutsideOfPackage(GUARDIAN + ".demo..")
            .should().dependOnClassesThat().resideInAnyPackage("kafka..", "scala..", "org.apache.kafka.server.common..",
                    "org.apache.kafka.metadata..", "org.apache.kafka.raft..", "org.apache.kafka.storage..",
                    "org.apache.kafka.image..", "org.apache.kafka.controller..", "org.apache.kafka.coordinator..",
                    "org.rocksdb..")
            .because("layer rule 'only demo uses the broker's jars': the distribution's lib/ holds no broker, Scala or"
                    + " RocksDB jar (they are in lib/demo/, on the class path of guardian demo only), so any other"
                    + " class that used one would fail with NoClassDefFoundError on a production host");

    static final ArchRule pureDecidersDoNoIo = noClasses()
            .that(arePureDeciders())
            .should().dependOnClassesThat(doIoOrTalkToKafka())
            .because("layer rule 'assess is free of I/O': a pure decider takes records and a Clock and returns"
                    + " records; observers and actors do the Kafka, file and HTTP work around it");

    static final ArchRule clusterViewIsBelowTheDuties = noClasses()
            .that().resideInAPackage(GUARDIAN + ".clusterview..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    GUARDIAN + ".ballast..", GUARDIAN + ".recovery..", GUARDIAN + ".watch..", GUARDIAN + ".cordon..",
                    GUARDIAN + ".retention..", GUARDIAN + ".drop..", GUARDIAN + ".report..")
            .because("layer rule 'clusterview is below the duties': heartbeats are built from the typed per-pass"
                    + " facts, never from a duty or the display report (ballast, recovery, watch, cordon, retention,"
                    + " drop, report); a facts or observation model package is fine");

    static final ArchRule onlyClusterCreatesAnAdmin = noClasses()
            .that().resideOutsideOfPackage(GUARDIAN + ".cluster..")
            .should().callMethodWhere(target(owner(assignableTo(Admin.class)))
                    .and(target(name("create").or(name("createInternal")))))
            .because("layer rule 'only cluster creates an Admin': cluster.AdminClients sets the client's timeouts"
                    + " and reachability once; everything else, demo included, is handed an Admin or asks AdminClients");

    /** The main classes of guardian, imported once for every rule. */
    static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(GUARDIAN);

    @Test
    void capabilityPackagesFormNoCycles() {
        capabilityPackagesFormNoCycles.check(MAIN_CLASSES);
    }

    @Test
    void onlyTheDemoUsesTheBrokersJars() {
        onlyTheDemoUsesTheBrokersJars.check(MAIN_CLASSES);
    }

    @Test
    void dropPackagesFormNoCycles() {
        dropPackagesFormNoCycles.check(MAIN_CLASSES);
    }

    @Test
    void nothingImportsTheSidecar() {
        nothingImportsTheSidecar.check(MAIN_CLASSES);
    }

    @Test
    void nothingImportsTheCli() {
        nothingImportsTheCli.check(MAIN_CLASSES);
    }

    @Test
    void onlyTheCliImportsTheDemo() {
        onlyTheCliImportsTheDemo.check(MAIN_CLASSES);
    }

    @Test
    void pureDecidersDoNoIo() {
        pureDecidersDoNoIo.check(MAIN_CLASSES);
    }

    @Test
    void clusterViewIsBelowTheDuties() {
        clusterViewIsBelowTheDuties.check(MAIN_CLASSES);
    }

    @Test
    void onlyClusterCreatesAnAdmin() {
        onlyClusterCreatesAnAdmin.check(MAIN_CLASSES);
    }

    /** A renamed decider would silently leave the rule: the list must follow the code. */
    @Test
    void everyDocumentedPureDeciderExists() {
        Set<String> present = MAIN_CLASSES.stream().map(LayerRulesTest::topLevelSimpleName).collect(Collectors.toSet());
        assertThat(DOCUMENTED_PURE)
                .as("layer rule 'assess is free of I/O' names these pure deciders; rename them here when the code does")
                .allMatch(present::contains, "exists in io.archiveguardian.guardian");
    }

    static DescribedPredicate<JavaClass> arePureDeciders() {
        return describe("are pure deciders (*Decision, *Planner, " + String.join(", ", DOCUMENTED_PURE.stream().sorted().toList()) + ")",
                c -> isPureDecider(topLevelSimpleName(c)));
    }

    static boolean isPureDecider(String simpleName) {
        return simpleName.endsWith("Decision") || simpleName.endsWith("Planner") || DOCUMENTED_PURE.contains(simpleName);
    }

    /** Nested, local and anonymous classes belong to the class they are written in. */
    static String topLevelSimpleName(JavaClass c) {
        String name = c.getName().substring(c.getPackageName().isEmpty() ? 0 : c.getPackageName().length() + 1);
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    private static DescribedPredicate<JavaClass> doIoOrTalkToKafka() {
        return resideInAnyPackage(
                "org.apache.kafka..",                                 // Kafka clients, Admin, Streams
                "java.nio.file..", "java.nio.channels..",             // files
                "com.sun.net.httpserver..", "java.net.http..",        // HTTP
                "org.eclipse.jetty..",                                // HTTP server
                "oshi..", "com.sun.jna..")                            // the host, natively
                .or(nameMatching("java\\.io\\.(File.*|RandomAccessFile)"))
                .or(nameMatching("java\\.net\\.(Socket|ServerSocket|URLConnection|HttpURLConnection)"))
                .and(not(type(org.apache.kafka.common.TopicPartition.class))) // a value: a topic's name and a number
                .as("do I/O or talk to Kafka (org.apache.kafka.. but the value TopicPartition, java.nio.file.., java.nio.channels.., java.io.File*,"
                        + " java.io.RandomAccessFile, com.sun.net.httpserver.., java.net.http.., org.eclipse.jetty.., sockets, oshi.., com.sun.jna..)");
    }

    /** {@code drop} itself, and each package directly below it with everything under that. */
    private static SliceAssignment dropAndEachSubPackage() {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (p.equals(DROP)) {
                    return SliceIdentifier.of("drop");
                }
                if (!p.startsWith(DROP + ".")) {
                    return SliceIdentifier.ignore();
                }
                String below = p.substring(DROP.length() + 1);
                int dot = below.indexOf('.');
                return SliceIdentifier.of("drop." + (dot < 0 ? below : below.substring(0, dot)));
            }

            @Override
            public String getDescription() {
                return "drop and each of its sub-packages";
            }
        };
    }
}
