package io.archiveguardian.guardian.drop.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.broker.BrokerStateProbe;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.drop.ClusterFacts;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.LocalTarget;
import io.archiveguardian.guardian.drop.observe.DropAdvisor;
import io.archiveguardian.guardian.drop.render.DropJson;
import io.archiveguardian.guardian.drop.render.DropText;
import io.archiveguardian.guardian.json.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code guardian drop} in the shape of Kafka's own tools ({@code tools/LogDirsCommand}: main →
 * mainNoExit → execute(options, Admin)). The CLI parses the options into a {@link Request};
 * {@link #prepare} applies the drop's rules that need no cluster (the broker is stopped, no drop
 * is running, an interrupted drop is finished or undone as a whole, the trash holds something to
 * restore), so that a refusal never waits on a cluster; {@link Prepared#execute} then carries out
 * the mode with the one Admin client the CLI opened. Tests pass their own Admin to
 * {@link #execute(Request, Admin, PrintWriter)}.
 */
public final class DropTool {

    private static final BrokerStateProbe BROKER_STATE = new BrokerStateProbe();

    private DropTool() {
    }

    /** What the command does: plan (the default), or one of its actions. */
    public enum Mode { PLAN, EXECUTE, FINISH, UNDO, EMPTY_TRASH }

    /**
     * One {@code guardian drop} command line, parsed.
     *
     * @param settings   the guardian's settings (trash dir, audit log, timeouts, log dirs)
     * @param target     the broker and the log dirs the command works on
     * @param need       bytes to free (--need); empty with {@code partitions}
     * @param partitions the replicas to drop (--partition, as prestart's plan names them); empty with {@code need}
     * @param purge      delete the local copies instead of keeping them in the trash
     * @param json       print the plan as JSON (--output json), and no progress
     * @param batch      --undo: the trash batch to restore (--batch), instead of the last drop's
     * @param facts      what the cluster view adds to the plan (--sidecar); asked only when a plan is made,
     *                   after the rules that need no cluster
     */
    public record Request(Mode mode, GuardianSettings settings, LocalTarget target, OptionalLong need,
                          List<TopicPartition> partitions, boolean purge, boolean json, Optional<String> batch,
                          Supplier<ClusterFacts> facts) {

        public Request {
            partitions = partitions == null ? List.of() : List.copyOf(partitions);
            batch = batch == null ? Optional.empty() : batch;
            facts = facts == null ? () -> ClusterFacts.NONE : facts;
        }

        /** Without --batch and without a cluster view. */
        public Request(Mode mode, GuardianSettings settings, LocalTarget target, OptionalLong need,
                       List<TopicPartition> partitions, boolean purge, boolean json) {
            this(mode, settings, target, need, partitions, purge, json, Optional.empty(), null);
        }

        /** Whether the mode changes something, and so writes to the trash and the audit log. */
        boolean changes() {
            return mode != Mode.PLAN;
        }

        boolean pinned() {
            return !partitions.isEmpty();
        }
    }

    /** The command with a given Admin: {@link #prepare}, then {@link Prepared#execute}. */
    public static int execute(Request request, Admin admin, PrintWriter out) {
        return prepare(request).execute(admin, out);
    }

    /**
     * The rules that need no cluster, in the order the command applies them; throws the refusal
     * (exit 2 or 3, nothing changed) before any cluster is asked.
     */
    public static Prepared prepare(Request r) {
        GuardianSettings settings = r.settings();
        if ((r.mode() == Mode.PLAN || r.mode() == Mode.EXECUTE) && r.need().isEmpty() && !r.pinned()) {
            // before the trash and the audit log exist: a refusal changes nothing
            throw new GuardianException(ExitCodes.USAGE, "--need SIZE or --partition TOPIC-N is required to plan a drop, "
                    + "e.g. --need 20G; nothing was changed.");
        }
        Map<Path, DropTrash> trashes = r.changes() ? trashes(settings, r.target()) : Map.of();
        AuditLog audit = r.changes() ? new AuditLog(auditLog(settings, trashes, r.target()), Clock.systemUTC()) : null;
        switch (r.mode()) {
            case FINISH, UNDO -> {
                String action = r.mode() == Mode.FINISH ? "finish" : "undo";
                requireStopped(settings, audit, action);
                Optional<DropMarker> dead = deadDrop(trashes);
                dead.ifPresent(m -> requireCovered(m, r.target(), "--" + action));
                if (r.mode() == Mode.FINISH && dead.isEmpty()) {
                    throw new GuardianException(ExitCodes.CHECK_FAILED, "no interrupted drop to finish next to "
                            + r.target().logDirs() + "; nothing was changed.");
                }
                boolean unmoved = dead.isPresent() && !"moving".equals(dead.get().phase());
                if (r.batch().isPresent() && (r.mode() == Mode.FINISH || dead.isPresent())) {
                    throw new GuardianException(ExitCodes.USAGE, "--batch names a trash batch for --undo; an interrupted "
                            + "drop is undone as a whole, without --batch. Nothing was changed.");
                }
                Map<DropTrash, TrashBatch> undo = r.mode() == Mode.FINISH || unmoved ? Map.of()
                        : TrashMaintenance.undoPlan(r.target(), trashes, dead, r.batch());
                return new Prepared(r, trashes, audit, dead, undo);
            }
            case EMPTY_TRASH -> {
                if (!BROKER_STATE.mayBeRunning(settings.logDirs())) {
                    throw new GuardianException(ExitCodes.CHECK_FAILED, "the broker on this host is not running; trashed data "
                            + "is deleted only after it has started again and the reassignments are confirmed.");
                }
                return new Prepared(r, trashes, audit, Optional.empty(), Map.of());
            }
            default -> {
                if (r.mode() == Mode.EXECUTE) {
                    requireStopped(settings, audit, "execute");
                    Optional<DropMarker> dead = deadDrop(trashes);
                    if (dead.isPresent()) {
                        throw new GuardianException(ExitCodes.CHECK_FAILED, "an earlier drop did not finish (phase "
                                + dead.get().phase() + "): run 'guardian drop --finish' or 'guardian drop --undo' first; "
                                + "nothing was changed.");
                    }
                }
                return new Prepared(r, trashes, audit, Optional.empty(), Map.of());
            }
        }
    }

    /** A request whose local rules hold, with what they found; {@link #execute} carries it out. */
    public static final class Prepared {

        private final Request request;
        private final Map<Path, DropTrash> trashes;
        private final AuditLog audit;
        private final Optional<DropMarker> dead;
        private final Map<DropTrash, TrashBatch> undo;

        private Prepared(Request request, Map<Path, DropTrash> trashes, AuditLog audit, Optional<DropMarker> dead,
                         Map<DropTrash, TrashBatch> undo) {
            this.request = request;
            this.trashes = trashes;
            this.audit = audit;
            this.dead = dead;
            this.undo = undo;
        }

        public Mode mode() {
            return request.mode();
        }

        /** Carries out the mode with {@code admin}, printing to {@code out}; the exit code. */
        public int execute(Admin admin, PrintWriter out) {
            return switch (request.mode()) {
                case FINISH -> finish(admin, out);
                case UNDO -> undo(admin, out);
                case EMPTY_TRASH -> new TrashMaintenance(audit, out).emptyTrash(admin, settings().adminTimeout(),
                        request.target(), trashes);
                case PLAN, EXECUTE -> planOrExecute(admin, out);
            };
        }

        private GuardianSettings settings() {
            return request.settings();
        }

        private int finish(Admin admin, PrintWriter out) {
            DropMarker marker = dead.orElseThrow();
            String id = marker.batches().isEmpty() ? "" : marker.batches().get(0).id();
            List<TrashBatch> moved;
            try {
                moved = new DropExecutor(admin, Clock.systemUTC(), settings().adminTimeout(), reassignmentTimeout(settings()),
                        audit, out).finish(marker, request.target(), trashes);
            } catch (RuntimeException e) {
                record("finish", id, LastDrop.FAILED, e.getMessage());
                throw e;
            }
            record("finish", id, moved.isEmpty() ? LastDrop.FAILED : marker.purge() ? LastDrop.PURGED : LastDrop.MOVED,
                    moved.isEmpty() ? "nothing of the interrupted drop had reached the controller" : "");
            out.println("Finished the interrupted drop. Audit log: " + audit.file());
            out.flush();
            return ExitCodes.OK;
        }

        private int undo(Admin admin, PrintWriter out) {
            TrashMaintenance maintenance = new TrashMaintenance(audit, out);
            if (dead.isPresent() && !"moving".equals(dead.get().phase())) {
                return maintenance.undoUnmoved(admin, settings().adminTimeout(), dead.get(), trashes);
            }
            int code = maintenance.undo(admin, settings().adminTimeout(), request.target(), undo);
            dead.ifPresent(m -> TrashMaintenance.clearMarkers(trashes));
            record("undo", String.join(",", undo.values().stream().map(TrashBatch::id).distinct().toList()),
                    LastDrop.RESTORED, "");
            return code;
        }

        /** What this operation did, for the next --undo ({@link LastDrop}). */
        private void record(String command, String batch, String outcome, String detail) {
            LastDrop.of(Clock.systemUTC().instant().toString(), command, batch, outcome, detail).writeTo(trashes.values());
        }

        private int planOrExecute(Admin admin, PrintWriter out) {
            if (request.mode() != Mode.EXECUTE) {
                return planOrExecuteAndRecord(admin, out);
            }
            try {
                return planOrExecuteAndRecord(admin, out);
            } catch (RuntimeException e) {
                record("execute", "", LastDrop.FAILED, e.getMessage());
                throw e;
            }
        }

        private int planOrExecuteAndRecord(Admin admin, PrintWriter out) {
            LocalTarget target = request.target();
            DropAdvisor advisor = DropAdvisor.of(settings(), admin, settings().adminTimeout(), Clock.systemUTC()).withLocalDiskBytes()
                    .withFacts(request.facts().get());
            DropCandidates planned = request.pinned() ? advisor.pinned(target.broker(), target.logDirs(), request.partitions())
                    : advisor.candidates(target.broker(), target.logDirs(), request.need().getAsLong());
            DropCandidates candidates = planned.withPlan(planned.plan().withPurge(request.purge()));
            print(out, candidates);
            if (request.mode() == Mode.PLAN) {
                if (!request.json()) {
                    out.println("Nothing was changed. To carry it out, stop the broker and run again with --execute.");
                }
                out.flush();
                return candidates.plan().sufficient() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
            }
            PrintWriter progress = request.json() ? new PrintWriter(Writer.nullWriter()) : out;
            List<TrashBatch> moved = new DropExecutor(admin, advisor, Clock.systemUTC(), settings().adminTimeout(),
                    reassignmentTimeout(settings()), audit, progress).execute(candidates, target, trashes, request.purge());
            record("execute", moved.isEmpty() ? "" : moved.get(0).id(), request.purge() ? LastDrop.PURGED : LastDrop.MOVED, "");
            progress.println("Done. Audit log: " + audit.file() + (request.purge() ? "" : ". Once the broker runs again, "
                    + "free the space with 'guardian drop --empty-trash', or restore with 'guardian drop --undo' before it starts."));
            out.flush();
            return ExitCodes.OK;
        }

        private void print(PrintWriter out, DropCandidates candidates) {
            if (request.json()) {
                try {
                    out.println(DropJson.mapper().writerWithDefaultPrettyPrinter()
                            .writeValueAsString(DropJson.planWithHeader(candidates)));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                out.print(DropText.plan(candidates));
            }
            out.flush();
        }
    }

    /**
     * An interrupted drop is finished or undone as a whole: every log dir it moved directories from
     * must be among the targets (exit 2 naming the --logdir to add, nothing changed).
     */
    static void requireCovered(DropMarker dead, LocalTarget target, String action) {
        List<String> missing = dead.batches().stream().map(TrashBatch::logDir).distinct()
                .filter(dir -> !target.logDirs().contains(Path.of(dir))).toList();
        if (!missing.isEmpty()) {
            throw new GuardianException(ExitCodes.USAGE, "the interrupted drop (pid " + dead.pid() + ", started "
                    + dead.startedAt() + ") also moved directories of " + String.join(", ", missing) + ", which --logdir "
                    + "leaves out; " + action + " covers the whole drop: add " + missing.stream().map(d -> "--logdir " + d)
                    .collect(Collectors.joining(" ")) + " (or leave --logdir out). Nothing was changed.");
        }
    }

    /** A marker left by a drop whose process is gone; a live one means a drop runs now (exit 3). */
    static Optional<DropMarker> deadDrop(Map<Path, DropTrash> trashes) {
        for (DropTrash trash : trashes.values()) {
            Optional<DropMarker> m = DropMarker.read(trash.root());
            if (m.isPresent() && m.get().holderAlive()) {
                throw new GuardianException(ExitCodes.CHECK_FAILED, "another drop is running (pid " + m.get().pid()
                        + ", phase " + m.get().phase() + "); nothing was changed.");
            }
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    private static void requireStopped(GuardianSettings settings, AuditLog audit, String what) {
        if (BROKER_STATE.mayBeRunning(settings.logDirs())) {
            audit.record("refused", Json.MAPPER.createObjectNode().put("command", what)
                    .put("detail", "the broker on this host is running"));
            throw new GuardianException(ExitCodes.CHECK_FAILED, "the broker on this host is running (a process holds the lock "
                    + "on .lock in " + settings.logDirs() + "). Stop it first; nothing was changed.");
        }
    }

    private static Map<Path, DropTrash> trashes(GuardianSettings settings, LocalTarget target) {
        String base = settings.config().getString(GuardianConfig.DROP_TRASH_DIR);
        Optional<Path> basePath = base.isBlank() ? Optional.empty() : Optional.of(Path.of(base));
        Map<Path, DropTrash> trashes = new LinkedHashMap<>();
        for (Path dir : target.logDirs()) {
            trashes.put(dir, DropTrash.forLogDir(dir, basePath, settings.logDirs()));
        }
        return trashes;
    }

    private static Path auditLog(GuardianSettings settings, Map<Path, DropTrash> trashes, LocalTarget target) {
        String configured = settings.config().getString(GuardianConfig.DROP_AUDIT_LOG);
        return configured.isBlank() ? trashes.get(target.logDirs().get(0)).root().resolve("audit.jsonl") : Path.of(configured);
    }

    private static Duration reassignmentTimeout(GuardianSettings settings) {
        return Duration.ofMillis(settings.config().getLong(GuardianConfig.DROP_REASSIGNMENT_TIMEOUT_MS));
    }
}
