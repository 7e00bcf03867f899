package dev.pocketbridge.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The server side of {@link BarePath}: the event path's components with nothing of the services
 * in them. A Reactor Netty WebSocket server (the gateway's transport) produces each frame as it
 * arrives to {@code inbound} (key: the user; {@code acks=all}, idempotent, lingering as its
 * {@link Batching} says: 1 ms with the gateway's settings); a consumer inserts each poll's records into PostgreSQL in one
 * transaction, then produces them to {@code stored} and flushes (event-service's shape); a second
 * produces each to the one partition of {@code deliveries} and flushes (relay-service's); and the
 * server's consumer of {@code deliveries} answers the sender with an ack frame and sends the frame
 * to the user's other devices. No JSON, no validation, no security, no observations.
 * <p>
 * A device's frames: first {@code "<user> <device>"}, then events {@code "<nanos>|<user>|<device>|<payload>"};
 * the server sends {@code "A<nanos>"} (the ack) and the event's frame as it came (a delivery).
 */
final class BarePipeline implements AutoCloseable {

    /**
     * The clients' batching: how long the edge's producer lingers, and how much a hop's fetch waits
     * for ({@code fetch.min.bytes}, at most {@code fetch.max.wait.ms}).
     */
    record Batching(String name, int edgeLingerMs, int fetchMinBytes, int fetchMaxWaitMs) {
        /** The system's settings: the gateway's {@code linger.ms} 1, the consumers' fetch defaults. */
        static final Batching SYSTEM = new Batching("the system's settings", 1, 1, 500);
        /** Every hop batching for up to 20 ms: fewer, fuller requests, at 20 ms a hop of latency. */
        static final Batching BATCHED = new Batching("every hop batching for up to 20 ms", 20, 64 * 1024, 20);
    }

    private static final int MAX_FRAME_BYTES = 2 * 1024 * 1024;
    private static final Duration POLL = Duration.ofMillis(100);

    private final String kafka;
    private final Batching batching;
    private final String inbound;
    private final String stored;
    private final String deliveries;
    private final int devicesPerUser;
    private final AtomicReferenceArray<Sinks.Many<WebSocketFrame>> sessions;
    private final AtomicInteger registered = new AtomicInteger();
    private final KafkaProducer<String, byte[]> edge;
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final DisposableServer server;
    private volatile boolean stopping;

    /**
     * Creates its three topics (named after {@code name}), its table in the database at {@code jdbcUrl},
     * and starts the server and the three consumers; what it started is stopped again if a step fails.
     */
    BarePipeline(String kafka, String jdbcUrl, Properties jdbc, String name, Batching batching, int users,
            int devicesPerUser) throws Exception {
        this.kafka = kafka;
        this.batching = batching;
        String prefix = "bench.bare." + name;
        this.inbound = prefix + ".inbound";
        this.stored = prefix + ".stored";
        this.deliveries = prefix + ".deliveries";
        this.devicesPerUser = devicesPerUser;
        this.sessions = new AtomicReferenceArray<>(users * devicesPerUser);
        try {
            this.edge = new KafkaProducer<>(Floor.producer(kafka, batching.edgeLingerMs()), new StringSerializer(),
                    new ByteArraySerializer());
            closeables.add(edge);
            this.server = open(jdbcUrl, jdbc, prefix);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private DisposableServer open(String jdbcUrl, Properties jdbc, String prefix) throws Exception {
        try (Admin admin = Admin.create(Floor.admin(kafka))) {
            // as the system's topics: 12 partitions keyed by user, deliveries one partition per gateway node
            admin.createTopics(List.of(new NewTopic(inbound, 12, (short) 1), new NewTopic(stored, 12, (short) 1),
                    new NewTopic(deliveries, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Connection db = DriverManager.getConnection(jdbcUrl, jdbc);
        closeables.add(db);
        try (Statement s = db.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bare_events");
            s.execute("CREATE TABLE bare_events (seq bigserial PRIMARY KEY, user_id text NOT NULL, frame bytea NOT NULL)");
        }
        db.setAutoCommit(false);
        KafkaProducer<String, byte[]> storedProducer = hopProducer();
        KafkaProducer<String, byte[]> deliveriesProducer = hopProducer();
        PreparedStatement insert = db.prepareStatement("INSERT INTO bare_events (user_id, frame) VALUES (?, ?)");
        start("bare-event-log", subscribed(inbound, prefix + ".event-log"), true, records -> {
            for (ConsumerRecord<String, byte[]> r : records) {
                insert.setString(1, r.key());
                insert.setBytes(2, r.value());
                insert.addBatch();
            }
            insert.executeBatch();
            db.commit();
            records.forEach(r -> storedProducer.send(new ProducerRecord<>(stored, r.key(), r.value())));
            storedProducer.flush();
        });
        start("bare-fanout", subscribed(stored, prefix + ".fanout"), true, records -> {
            records.forEach(r -> deliveriesProducer.send(new ProducerRecord<>(deliveries, 0, r.key(), r.value())));
            deliveriesProducer.flush();
        });
        KafkaConsumer<String, byte[]> deliveriesConsumer = consumer(null);
        deliveriesConsumer.assign(List.of(new TopicPartition(deliveries, 0)));
        start("bare-deliveries", deliveriesConsumer, false, records -> records.forEach(r -> deliver(r.value())));
        return HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws("/bare", this::session,
                        WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME_BYTES).build()))
                .bindNow();
    }

    /** Where devices connect. */
    String uri() {
        InetSocketAddress address = (InetSocketAddress) server.address();
        return "ws://127.0.0.1:" + address.getPort() + "/bare";
    }

    /** The sessions that said who they are. */
    int registered() {
        return registered.get();
    }

    private Mono<Void> session(WebsocketInbound in, WebsocketOutbound out) {
        Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();
        String[] user = new String[1];
        Mono<Void> received = in.aggregateFrames(MAX_FRAME_BYTES).receiveFrames().doOnNext(frame -> {
            if (user[0] == null) {
                String[] hello = frame.content().toString(StandardCharsets.UTF_8).split(" ");
                user[0] = hello[0];
                sessions.set(Integer.parseInt(hello[0]) * devicesPerUser + Integer.parseInt(hello[1]), outbound);
                registered.incrementAndGet();
            } else {
                edge.send(new ProducerRecord<>(inbound, user[0], ByteBufUtil.getBytes(frame.content())));
            }
        }).then();
        return Mono.when(received, out.sendObject(outbound.asFlux()).then());
    }

    /** One record of {@code deliveries}: the ack to its sender, the frame to the user's other devices. */
    private void deliver(byte[] frame) {
        int first = indexOf(frame, 0);
        int second = indexOf(frame, first + 1);
        int third = indexOf(frame, second + 1);
        int user = Integer.parseInt(new String(frame, first + 1, second - first - 1, StandardCharsets.US_ASCII));
        int device = Integer.parseInt(new String(frame, second + 1, third - second - 1, StandardCharsets.US_ASCII));
        emit(user, device, ("A" + new String(frame, 0, first, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
        for (int d = 0; d < devicesPerUser; d++) {
            if (d != device) {
                emit(user, d, frame);
            }
        }
    }

    private void emit(int user, int device, byte[] frame) {
        Sinks.Many<WebSocketFrame> outbound = sessions.get(user * devicesPerUser + device);
        if (outbound != null) {
            outbound.tryEmitNext(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)));
        }
    }

    private static int indexOf(byte[] frame, int from) {
        for (int i = from; i < frame.length; i++) {
            if (frame[i] == '|') {
                return i;
            }
        }
        throw new IllegalArgumentException("not a bare event frame");
    }

    /** What one consumer does with a poll's records. */
    private interface BatchHandler {
        void handle(ConsumerRecords<String, byte[]> records) throws Exception;
    }

    /** Runs {@code consumer} on a thread of its own; one of a group commits its position once a second, as the services. */
    private void start(String name, KafkaConsumer<String, byte[]> consumer, boolean commits, BatchHandler handler) {
        Thread t = new Thread(() -> {
            long committed = System.nanoTime();
            try (consumer) {
                while (!stopping) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    if (!records.isEmpty()) {
                        handler.handle(records);
                    }
                    if (commits && System.nanoTime() - committed > TimeUnit.SECONDS.toNanos(1)) {
                        consumer.commitAsync();
                        committed = System.nanoTime();
                    }
                }
            } catch (Exception e) {
                if (!stopping) {
                    Console.warn("bare path: " + name + " stopped: " + e);
                }
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private KafkaConsumer<String, byte[]> subscribed(String topic, String group) {
        KafkaConsumer<String, byte[]> c = consumer(group);
        c.subscribe(List.of(topic));
        return c;
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, String.valueOf(batching.fetchMinBytes()));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(batching.fetchMaxWaitMs()));
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> hopProducer() {
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(Floor.producer(kafka, 5), new StringSerializer(),
                new ByteArraySerializer());
        closeables.add(p);
        return p;
    }

    /** Stops the server and the consumers, closes the clients and the connection, and deletes the topics. */
    @Override
    public void close() {
        stopping = true;
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(5));
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                Console.warn("bare path: closing: " + e);
            }
        }
        try (Admin admin = Admin.create(Floor.admin(kafka))) {
            admin.deleteTopics(List.of(inbound, stored, deliveries)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Console.warn("bare path: its topics were not deleted: " + e);
        }
    }
}
