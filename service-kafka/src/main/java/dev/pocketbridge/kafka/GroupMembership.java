package dev.pocketbridge.kafka;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.springframework.kafka.core.ConsumerPostProcessor;

/**
 * How the services' consumers join and leave their groups, so the event path works again seconds
 * after a service restarts instead of waiting out a dead member's session:
 * <ul>
 * <li>each group listener has a static {@code group.instance.id} (instance id + listener), set on
 * the listener: a restarted instance with the same id takes its partitions back at once, without a
 * rebalance;</li>
 * <li>a closing consumer leaves its group even though it is static ({@link #leaveOnClose()}), so on
 * a graceful stop the other instances take its partitions at once (each service adds it to its
 * consumer factory);</li>
 * <li>a crashed member is given up after {@code session.timeout.ms} (10 s in the services'
 * configuration, not the client's 45 s).</li>
 * </ul>
 */
public final class GroupMembership {

    private GroupMembership() {
    }

    /**
     * A consumer closed by its container (at shutdown, or when the container stops) leaves its group
     * at once. Kafka's default keeps a static member in the group until its session times out.
     */
    @SuppressWarnings("unchecked")
    public static <K, V> ConsumerPostProcessor<K, V> leaveOnClose() {
        CloseOptions leave = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        return consumer -> (Consumer<K, V>) Proxy.newProxyInstance(
                GroupMembership.class.getClassLoader(), new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    try {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            consumer.close(leave);
                            return null;
                        }
                        return method.invoke(consumer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
