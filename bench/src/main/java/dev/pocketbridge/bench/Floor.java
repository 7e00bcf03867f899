package dev.pocketbridge.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The floor the system stands on, measured on the same machine in the same run: one 1 KiB record
 * at a time through the system's broker (producer {@code acks=all}, idempotent, to a consumer on a
 * fresh one-partition topic that is deleted afterwards), and one-row INSERT + COMMIT on the
 * system's PostgreSQL (a scratch database, created and dropped, with the {@code synchronous_commit}
 * of the event log's database).
 */
final class Floor {

    private static final int WARMUP = 50;
    private static final int SAMPLES = 1000;
    private static final long LIMIT = TimeUnit.SECONDS.toNanos(20);
    private static final int RECORD_BYTES = 1024;
    static final String SCRATCH_DATABASE = "pocketbridge_bench_scratch";

    private Floor() {
    }

    static Results.Floor measure(Options options, long runId) {
        return new Results.Floor(kafka(options.kafka(), runId), postgres(options.postgres()));
    }

    /** An admin client's settings for the broker at {@code bootstrap}, with the bench's timeouts. */
    static Properties admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return p;
    }

    /** A producer's settings as the services': {@code acks=all}, idempotent, lingering {@code lingerMs}. */
    static Properties producer(String bootstrap, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        return p;
    }

    /** The run command's PostgreSQL superuser, as JDBC connection properties of their own. */
    static Properties postgresCredentials() {
        Properties p = new Properties();
        p.put("user", "postgres");
        p.put("password", "postgres");
        return p;
    }

    static Results.KafkaFloor kafka(String bootstrap, long runId) {
        String topic = "bench.floor." + Long.toHexString(runId);
        Console.say("floor: Kafka produce -> consume on " + bootstrap + " (topic " + topic + ")");
        try (Admin admin = Admin.create(admin(bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                return kafkaRoundTrips(bootstrap, topic);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            Console.warn("floor: Kafka not measured: " + e);
            return new Results.KafkaFloor(bootstrap, 0, LatencySummary.EMPTY, LatencySummary.EMPTY, String.valueOf(e));
        }
    }

    private static Results.KafkaFloor kafkaRoundTrips(String bootstrap, String topic) throws Exception {
        Properties p = producer(bootstrap, 0);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Histogram produce = LatencySummary.newHistogram();
        Histogram roundTrip = LatencySummary.newHistogram();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.poll(Duration.ZERO);
            byte[] value = new byte[RECORD_BYTES];
            long deadline = System.nanoTime() + LIMIT;
            int measured = 0;
            for (int i = 0; i < WARMUP + SAMPLES && System.nanoTime() < deadline; i++) {
                ThreadLocalRandom.current().nextBytes(value);
                long t0 = System.nanoTime();
                var future = producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(), value));
                boolean produced = false;
                boolean consumed = false;
                while (!consumed && System.nanoTime() < deadline) {
                    if (!produced && future.isDone()) {
                        future.get();
                        produced = true;
                        if (i >= WARMUP) {
                            LatencySummary.record(produce, System.nanoTime() - t0);
                        }
                    }
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(1));
                    if (!records.isEmpty()) {
                        consumed = true;
                        if (i >= WARMUP) {
                            LatencySummary.record(roundTrip, System.nanoTime() - t0);
                        }
                    }
                }
                if (!produced) {
                    future.get(10, TimeUnit.SECONDS);
                    if (i >= WARMUP) {
                        LatencySummary.record(produce, System.nanoTime() - t0);
                    }
                }
                if (consumed && i >= WARMUP) {
                    measured++;
                }
            }
            Results.KafkaFloor floor = new Results.KafkaFloor(bootstrap, measured, LatencySummary.of(produce),
                    LatencySummary.of(roundTrip), null);
            Console.say(String.format(Locale.ROOT, "floor: Kafka produce (acks=all) p50 %s p99 %s; produce->consume p50 %s p99 %s",
                    LoadEngine.ms(floor.produceAck().p50Ms()), LoadEngine.ms(floor.produceAck().p99Ms()),
                    LoadEngine.ms(floor.roundTrip().p50Ms()), LoadEngine.ms(floor.roundTrip().p99Ms())));
            return floor;
        }
    }

    static Results.PostgresFloor postgres(String address) {
        String base = "jdbc:postgresql://" + address + "/";
        Properties auth = postgresCredentials();
        auth.put("connectTimeout", "5");
        Console.say("floor: PostgreSQL INSERT + COMMIT on " + address + " (scratch database " + SCRATCH_DATABASE + ")");
        String synchronousCommit = null;
        try {
            // the event log's setting (a database may override the server's), applied to the scratch session
            synchronousCommit = eventLogSynchronousCommit(base, auth);
            try (Connection admin = DriverManager.getConnection(base + "postgres", auth)) {
                admin.setAutoCommit(true);
                try (Statement s = admin.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + SCRATCH_DATABASE);
                    s.execute("CREATE DATABASE " + SCRATCH_DATABASE);
                }
                try {
                    return commits(base, auth, address, synchronousCommit);
                } finally {
                    try (Statement s = admin.createStatement()) {
                        s.execute("DROP DATABASE IF EXISTS " + SCRATCH_DATABASE);
                    }
                }
            }
        } catch (SQLException e) {
            Console.warn("floor: PostgreSQL not measured: " + e.getMessage());
            return new Results.PostgresFloor(address, 0, LatencySummary.EMPTY, null, synchronousCommit, null, null, null,
                    e.getMessage());
        }
    }

    /** The event log's {@code synchronous_commit} (its database may override the server's); null without one. */
    static String eventLogSynchronousCommit(String base, Properties auth) {
        try (Connection event = DriverManager.getConnection(base + "pocketbridge_event", auth);
                Statement s = event.createStatement();
                ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null; // no event database at this address: the server's setting
        }
    }

    private static Results.PostgresFloor commits(String base, Properties auth, String address,
            String synchronousCommit) throws SQLException {
        try (Connection c = DriverManager.getConnection(base + SCRATCH_DATABASE, auth)) {
            try (Statement s = c.createStatement()) {
                if (synchronousCommit != null) {
                    s.execute("SET synchronous_commit = '" + synchronousCommit.replace("'", "") + "'");
                }
                s.execute("CREATE TABLE floor (id bigserial PRIMARY KEY, payload bytea NOT NULL, "
                        + "created_at timestamptz NOT NULL DEFAULT now())");
            }
            Map<String, String> settings = new java.util.HashMap<>();
            for (String name : List.of("fsync", "synchronous_commit", "wal_sync_method", "shared_buffers", "server_version")) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
                    settings.put(name, rs.next() ? rs.getString(1) : null);
                }
            }
            c.setAutoCommit(false);
            Histogram commit = LatencySummary.newHistogram();
            byte[] payload = new byte[RECORD_BYTES];
            long deadline = System.nanoTime() + LIMIT;
            int measured = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO floor (payload) VALUES (?)")) {
                for (int i = 0; i < WARMUP + SAMPLES && System.nanoTime() < deadline; i++) {
                    ThreadLocalRandom.current().nextBytes(payload);
                    long t0 = System.nanoTime();
                    insert.setBytes(1, payload);
                    insert.executeUpdate();
                    c.commit();
                    if (i >= WARMUP) {
                        LatencySummary.record(commit, System.nanoTime() - t0);
                        measured++;
                    }
                }
            }
            Results.PostgresFloor floor = new Results.PostgresFloor(address, measured, LatencySummary.of(commit),
                    settings.get("fsync"), settings.get("synchronous_commit"), settings.get("wal_sync_method"),
                    settings.get("shared_buffers"), settings.get("server_version"), null);
            Console.say(String.format(Locale.ROOT, "floor: PostgreSQL commit p50 %s p99 %s (fsync %s, synchronous_commit %s)",
                    LoadEngine.ms(floor.commit().p50Ms()), LoadEngine.ms(floor.commit().p99Ms()), floor.fsync(),
                    floor.synchronousCommit()));
            return floor;
        }
    }
}
