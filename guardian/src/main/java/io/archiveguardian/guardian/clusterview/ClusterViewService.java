package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.cluster.RetryLog;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.duty.Daemons;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.facts.PassFacts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster view of one sidecar: publishes its heartbeats, events and placement, runs the Kafka
 * Streams application (the same on every sidecar; Streams spreads the tasks) and answers queries,
 * forwarding to the instance in charge of a key.
 *
 * <p>Nothing here runs on the pass thread except {@link #afterPass}, which only offers to a bounded
 * queue. Topics, Streams start-up, placement reads and cache refreshes run on the view's own thread,
 * each bounded; a dead cluster leaves the view stale and the sidecar untouched. {@link #close} is
 * bounded too.
 */
public final class ClusterViewService implements ClusterQueries, Duty {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterViewService.class);
    private final RetryLog startLog = new RetryLog(LOG, "cluster view: starting Kafka Streams");
    private final RetryLog placementLog = new RetryLog(LOG, "cluster view: reading this broker's replica placement");
    public static final String APPLICATION_ID = "guardian-cluster-view";
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final GuardianSettings settings;
    private final Clock clock;
    private final Supplier<Optional<Admin>> admin;
    private final ClusterTopics topics;
    private final DetectorSettings detector;
    private final Path stateDir;
    private final String offReason;
    private final Instant startedAt;
    private final String version = io.archiveguardian.guardian.GuardianVersion.current();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<ClusterView> cached = new AtomicReference<>();
    private MeterRegistry registry;
    private volatile ClusterPublisher publisher;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ScheduledExecutorService executor;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    private volatile boolean closed;

    /** Bound to {@code registry} at once. */
    public ClusterViewService(GuardianSettings settings, MeterRegistry registry, Clock clock,
                              Supplier<Optional<Admin>> admin) {
        this(settings, clock, admin);
        bindTo(registry);
    }

    /** Unbound: the sidecar binds its meters when it registers the duty, before {@link #start}. */
    public ClusterViewService(GuardianSettings settings, Clock clock, Supplier<Optional<Admin>> admin) {
        this.settings = settings;
        this.clock = clock;
        this.admin = admin;
        this.topics = ClusterTopics.from(settings.config());
        this.detector = DetectorSettings.from(settings.config());
        this.offReason = offReason(settings);
        this.stateDir = offReason == null ? stateDir(settings) : null;
        this.startedAt = clock.instant();
    }

    @Override
    public String name() {
        return "cluster-view";
    }

    /** Why the view is off, or null when it is on. */
    static String offReason(GuardianSettings settings) {
        if (!settings.config().getBoolean(GuardianConfig.CLUSTER_VIEW_ENABLED)) {
            return GuardianConfig.CLUSTER_VIEW_ENABLED + "=false";
        }
        if (settings.bootstrapServers().isEmpty()) {
            return "no Kafka cluster configured (bootstrap.servers)";
        }
        if (settings.nodeId().isEmpty()) {
            return "the broker's node.id is unknown (node.id or --broker-config)";
        }
        return null;
    }

    /** {@code <state.dir>/cluster-view}; refused inside a log dir. */
    static Path stateDir(GuardianSettings settings) {
        Path dir = Path.of(settings.config().getString(GuardianConfig.STATE_DIR)).toAbsolutePath().normalize()
                .resolve("cluster-view");
        for (Path logDir : settings.logDirs()) {
            if (dir.startsWith(logDir.toAbsolutePath().normalize())) {
                throw new InvalidConfigException(GuardianConfig.STATE_DIR + "=" + settings.config().getString(GuardianConfig.STATE_DIR)
                        + " puts the cluster view's state in " + dir + ", inside the log dir " + logDir
                        + ". Choose a state.dir outside every log dir.");
            }
        }
        return dir;
    }

    public boolean enabled() {
        return offReason == null;
    }

    /** The bootstrap servers and the --command-config properties, for every client of the view. */
    static Map<String, Object> clientProperties(GuardianSettings settings) {
        Map<String, Object> p = new HashMap<>(settings.adminProperties());
        p.put("bootstrap.servers", settings.bootstrapServers().orElseThrow());
        return p;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (String state : List.of(BrokerView.ALIVE, BrokerView.SUSPECT, BrokerView.SILENT)) {
            Gauge.builder("guardian.cluster.brokers", this, s -> s.count(state)).tag("state", state)
                    .description("Brokers in the cluster view by their sidecar's state (alive, suspect, silent; "
                            + "after the mass-silence brake). NaN while the view is off or not yet answered.")
                    .register(registry);
        }
        Gauge.builder("guardian.cluster.view.age", this, ClusterViewService::ageSeconds).baseUnit("seconds")
                .description("Seconds since the newest heartbeat in the cluster view (any sidecar's): grows while "
                        + "Kafka or the view is cut off. NaN while the view is off or not yet answered.")
                .register(registry);
        // Registered here too, so that the families exist while the view is off.
        io.micrometer.core.instrument.Counter.builder("guardian.heartbeats.dropped")
                .description("Heartbeats not delivered to Kafka (queue full, cluster unreachable, send failed).")
                .register(registry);
    }

    private double count(String state) {
        ClusterView v = cached.get();
        if (v == null) {
            return Double.NaN;
        }
        return switch (state) {
            case BrokerView.ALIVE -> v.totals().alive();
            case BrokerView.SUSPECT -> v.totals().suspect();
            default -> v.totals().silent();
        };
    }

    private double ageSeconds() {
        ClusterView v = cached.get();
        if (v == null || v.newestHeartbeat() == null) {
            return Double.NaN;
        }
        return Math.max(0, Duration.between(v.newestHeartbeat(), clock.instant()).toMillis() / 1000.0);
    }

    /**
     * Starts publishing and the Streams application on the view's own thread; returns at once.
     *
     * @param advertised HOST:PORT of this sidecar's HTTP server as the others reach it
     */
    public synchronized void start(String advertised) {
        if (!enabled() || executor != null) {
            if (!enabled()) {
                LOG.info("cluster view off: {}", offReason);
            }
            return;
        }
        self = HostInfo.buildFromEndpoint(advertised);
        publisher = new ClusterPublisher(clientProperties(settings), admin, topics, settings.adminTimeout(), registry);
        executor = Executors.newSingleThreadScheduledExecutor(Daemons.named("guardian-cluster-view"));
        executor.execute(this::startStreams);
        long interval = detector.interval().toMillis();
        executor.scheduleWithFixedDelay(this::refreshCache, interval, interval, TimeUnit.MILLISECONDS);
        long placement = settings.config().getLong(GuardianConfig.CLUSTER_PLACEMENT_REFRESH_MS);
        executor.scheduleWithFixedDelay(this::publishPlacement, 0, placement, TimeUnit.MILLISECONDS);
    }

    private void startStreams() {
        if (closed) {
            return;
        }
        try {
            Optional<Admin> a = admin.get();
            if (a.isEmpty()) {
                return;
            }
            int brokers = topics.ensure(a.get(), settings.adminTimeout());
            StreamsConfig config = new StreamsConfig(streamsProperties(brokers));
            // given the config: a bare StreamsBuilder() builds a default one, which warns about the global thread
            StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(config));
            ClusterTopology.build(builder, new ClusterTopology.Topics(topics.heartbeats(), topics.placement()), detector);
            KafkaStreams s = new KafkaStreams(builder.build(), config);
            s.setUncaughtExceptionHandler(e -> {
                LOG.error("cluster view: a Streams thread failed; replacing it", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            synchronized (this) {
                if (closed) {
                    s.close(Duration.ZERO);
                    return;
                }
                streams = s;
            }
            s.start();
            startLog.succeeded();
            LOG.info("cluster view: Streams application {} started as {}", APPLICATION_ID, self);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            startLog.failed(e, "cluster view: cannot start yet (" + e + "); retrying every "
                    + detector.interval().toMillis() + " ms");
            if (!closed) {
                executor.schedule(this::startStreams, detector.interval().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    Map<String, Object> streamsProperties(int brokers) {
        Map<String, Object> p = clientProperties(settings);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        p.put(StreamsConfig.CLIENT_ID_CONFIG, APPLICATION_ID + "-" + settings.nodeId().orElse(-1));
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        // An idle view wakes twice a second instead of ten times; punctuations may be up to 0.5 s late.
        p.put(StreamsConfig.POLL_MS_CONFIG, 500L);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) ClusterTopics.replicationFactor(brokers));
        // A standby copy of the view's stores needs another sidecar to hold it: one per broker, so none
        // on a single-broker cluster (Streams would warn at every rebalance that it cannot place it).
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, brokers > 1 ? 1 : 0);
        // Kafka's recommendation, and its default from 5.0: the processing exception handler also
        // covers the global thread (Streams warns at every start while it is off).
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 1024 * 1024L);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
        p.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 3_000);
        return p;
    }

    /** The last step of the pass: offers the pass's heartbeat, built from its facts. Never blocks, never throws. */
    @Override
    public PassFacts onPass(PassFacts facts) {
        ClusterPublisher publisher = this.publisher;
        if (publisher == null) {
            return facts;
        }
        try {
            Heartbeats.of(facts, version, startedAt, sequence.getAndIncrement(), clock.instant(), detector.interval())
                    .ifPresent(publisher::offer);
        } catch (RuntimeException e) {
            LOG.debug("cluster view: heartbeat not offered: {}", e.toString());
        }
        return facts;
    }

    /**
     * Offers state-change events to the events topic; never blocks (a full queue or a dead cluster
     * drops them and counts). Every event the sidecar's {@link io.archiveguardian.guardian.events.EventLog}
     * publishes comes here, from whichever thread published it.
     */
    @Override
    public void onEvents(List<StateChangeEvent> events) {
        ClusterPublisher publisher = this.publisher;
        if (publisher == null || events.isEmpty()) {
            return;
        }
        try {
            publisher.offer(events);
        } catch (RuntimeException e) {
            LOG.debug("cluster view: events not offered: {}", e.toString());
        }
    }

    private void publishPlacement() {
        try {
            Optional<Admin> a = admin.get();
            if (a.isPresent() && publisher.topicsReady()) {
                publisher.offer(PlacementReader.read(a.get(), settings.nodeId().getAsInt(), settings.adminTimeout(),
                        clock.instant()));
                placementLog.succeeded();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            placementLog.failed(e, "cluster view: cannot read this broker's replica placement: " + e);
        }
    }

    private void refreshCache() {
        try {
            QueryAnswer a = clusterSummary(false);
            if (a.status() == 200) {
                cached.set(JsonSerde.READER.readValue(a.json(), ClusterView.class));
            }
        } catch (Exception e) {
            LOG.debug("cluster view: refresh failed: {}", e.toString());
        }
    }

    /**
     * The full view asked now, for the drop planner (critical disks, silent sidecars), stale or not:
     * the planner discounts nothing on a stale view and says so. Empty when the view cannot answer.
     * Bounded like any query.
     */
    public Optional<ClusterView> viewForDrop() {
        QueryAnswer a = cluster(false);
        if (a.status() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonSerde.READER.readValue(a.json(), ClusterView.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<ClusterView> cached() {
        return Optional.ofNullable(cached.get());
    }

    @Override
    public QueryAnswer cluster(boolean forwarded) {
        return query(ClusterTopology.CLUSTER_STORE, ClusterTopology.CLUSTER_KEY, "/api/v1/cluster", forwarded,
                (views, standby) -> Optional.of(Json.write(ClusterViews.assess(views, detector, clock.instant())
                        .answeredBy(selfName(), standby))));
    }

    @Override
    public QueryAnswer clusterSummary(boolean forwarded) {
        return query(ClusterTopology.CLUSTER_STORE, ClusterTopology.CLUSTER_KEY, "/api/v1/cluster?summary=true", forwarded,
                (views, standby) -> Optional.of(Json.write(ClusterViews.assess(views, detector, clock.instant())
                        .answeredBy(selfName(), standby).summary())));
    }

    @Override
    public QueryAnswer broker(String brokerId, boolean forwarded) {
        if (!brokerId.matches("[0-9]{1,10}")) {
            return new QueryAnswer(400, null, error("broker id '" + brokerId + "' is not a node id: use a number such as 1"));
        }
        String id = Integer.toString(Integer.parseInt(brokerId));
        QueryAnswer a = query(ClusterTopology.BROKER_STORE, id, "/api/v1/cluster/brokers/" + id, forwarded,
                (views, standby) -> views.stream().filter(v -> Integer.toString(v.brokerId()).equals(id)).findFirst()
                        .map(v -> Json.write(BrokerDetail.of(v, selfName(), standby))));
        return a;
    }

    private interface Render {
        Optional<String> render(List<BrokerView> views, boolean standby);
    }

    private QueryAnswer query(String store, String key, String path, boolean forwarded, Render render) {
        if (offReason != null) {
            return ClusterQueries.off(offReason).cluster(forwarded);
        }
        KafkaStreams s = streams;
        if (s == null) {
            return unavailable("the cluster view is starting: Kafka not reachable yet or topics being created");
        }
        KeyQueryMetadata meta = null;
        try {
            meta = s.queryMetadataForKey(store, key, Serdes.String().serializer());
        } catch (RuntimeException e) {
            LOG.debug("cluster view: no metadata for {}: {}", key, e.toString());
        }
        boolean known = meta != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(meta);
        if (s.state() == KafkaStreams.State.RUNNING && known) {
            if (meta.activeHost().equals(self)) {
                Optional<List<BrokerView>> local = read(s, store, meta.partition(), false);
                if (local.isPresent()) {
                    return render.render(local.get(), false).map(json -> new QueryAnswer(200, null, json))
                            .orElseGet(() -> new QueryAnswer(404, null, error("no heartbeat from broker " + key
                                    + " has reached the cluster view")));
                }
            } else if (!forwarded) {
                Optional<QueryAnswer> remote = forward(meta.activeHost(), path);
                if (remote.isPresent()) {
                    return remote.get();
                }
            }
        }
        // Rebalancing, or the owner did not answer: a standby's (or our own stale) copy, marked stale.
        Optional<List<BrokerView>> copy = read(s, store, null, true);
        if (copy.isPresent()) {
            Optional<String> json = render.render(copy.get(), true);
            if (json.isPresent()) {
                return new QueryAnswer(200, null, json.get());
            }
        }
        return unavailable("the cluster view is rebalancing (Streams state " + s.state() + ")");
    }

    private Optional<List<BrokerView>> read(KafkaStreams s, String store, Integer partition, boolean stale) {
        try {
            StoreQueryParameters<ReadOnlyKeyValueStore<String, BrokerView>> params = StoreQueryParameters
                    .fromNameAndType(store, QueryableStoreTypes.<String, BrokerView>keyValueStore());
            if (partition != null) {
                params = params.withPartition(partition);
            }
            if (stale) {
                params = params.enableStaleStores();
            }
            List<BrokerView> out = new ArrayList<>();
            try (KeyValueIterator<String, BrokerView> it = s.store(params).all()) {
                it.forEachRemaining(kv -> out.add(kv.value));
            }
            return Optional.of(out);
        } catch (RuntimeException e) {
            LOG.debug("cluster view: store {} not queryable here: {}", store, e.toString());
            return Optional.empty();
        }
    }

    private Optional<QueryAnswer> forward(HostInfo owner, String path) {
        URI uri = URI.create("http://" + (owner.host().contains(":") ? "[" + owner.host() + "]" : owner.host())
                + ":" + owner.port() + path);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(FORWARD_TIMEOUT)
                            .header(HOP_HEADER, selfName()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Integer retry = r.headers().firstValue("Retry-After").map(ClusterViewService::parseIntOrNull).orElse(null);
            return Optional.of(new QueryAnswer(r.statusCode(), retry, r.body()));
        } catch (IOException e) {
            LOG.debug("cluster view: the owner {} did not answer: {}", uri, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Integer parseIntOrNull(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private QueryAnswer unavailable(String why) {
        int retry = (int) Math.max(1, detector.interval().toSeconds());
        return new QueryAnswer(503, retry, error(why));
    }

    private static String error(String message) {
        return Json.write(Map.of("error", message));
    }

    private String selfName() {
        HostInfo h = self;
        return h == null ? null : h.host() + ":" + h.port();
    }

    /** The Streams state, for tests and the status page; empty before start-up. */
    public Optional<KafkaStreams.State> streamsState() {
        KafkaStreams s = streams;
        return s == null ? Optional.empty() : Optional.of(s.state());
    }

    public double heartbeatsDropped() {
        ClusterPublisher p = publisher;
        return p == null ? 0 : p.heartbeatsDropped();
    }

    /** Stops publishing and the Streams application (leaving the group), bounded. */
    @Override
    public void close() {
        KafkaStreams s;
        synchronized (this) {
            closed = true;
            s = streams;
            streams = null;
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        ClusterPublisher p = publisher;
        if (p != null) {
            p.close(Duration.ofSeconds(3));
        }
        if (s != null) {
            s.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
        }
    }

}
