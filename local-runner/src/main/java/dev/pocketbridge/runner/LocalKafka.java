package dev.pocketbridge.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode, started as its own JVM from the Kafka jars the
 * runner already has on its class path; the log directory is kept between runs.
 */
public final class LocalKafka {

    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private LocalKafka() {
    }

    public static ChildProcess start(Layout layout, int port, int controllerPort) throws IOException, InterruptedException {
        Path dir = layout.data().resolve("kafka");
        Path logDirs = dir.resolve("log");
        Files.createDirectories(logDirs);
        Path properties = dir.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logDirs.toAbsolutePath(),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "message.max.bytes=" + MAX_MESSAGE_BYTES,
                "replica.fetch.max.bytes=" + MAX_MESSAGE_BYTES,
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                ""));
        String classPath = layout.libDirectory().toAbsolutePath() + "/*";
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            ChildProcess format = ChildProcess.startJava("kafka-format",
                    List.of("-cp", classPath, "kafka.tools.StorageTool", "format",
                            "-t", Uuid.randomUuid().toString(), "-c", properties.toString()),
                    layout.root(), layout.log("kafka-format"));
            if (format.waitFor() != 0) {
                throw new IllegalStateException("formatting Kafka storage failed:\n" + format.tail(20));
            }
        }
        List<String> arguments = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC"));
        arguments.addAll(layout.jvmLogOptions("kafka"));
        arguments.addAll(List.of("-cp", classPath, "kafka.Kafka", properties.toString()));
        return ChildProcess.startJava("kafka", arguments, layout.root(), layout.log("kafka"));
    }

    public static Duration startTimeout() {
        return Duration.ofSeconds(60);
    }
}
