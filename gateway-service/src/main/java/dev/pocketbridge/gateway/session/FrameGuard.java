package dev.pocketbridge.gateway.session;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;

/**
 * One connection's Netty handler, in front of its WebSocket frame decoder.
 * <ul>
 * <li>Inbound, it follows the frame headers ({@link FrameScanner}) and refuses a message above the
 * connection's current limit from its header, before Netty buffers any of its payload: the limit is
 * {@code pre-handshake-frame-bytes} until {@code session_established} and {@code max-frame-bytes}
 * after. From then on everything the client sends is discarded unread, and the connection is told
 * to close with 1009.</li>
 * <li>Outbound, it gives a data frame's bytes (text or binary) back to the session's budget once Netty has written it.</li>
 * <li>Closing, after the close frame it half-closes and discards what the client still sends until
 * the client closes too: closing at once would make the kernel answer a client still sending with a
 * reset, which loses the close frame (the client sees 1006 instead of the code). A closing
 * connection is dropped after {@code close-timeout} whatever the client does.</li>
 * </ul>
 */
final class FrameGuard extends ChannelDuplexHandler {

    static final String NAME = "pocketbridge.frameGuard";

    private final FrameScanner scanner = new FrameScanner();
    private final Duration closeTimeout;
    private final LongConsumer written;
    private final Runnable tooBig;
    private volatile long limit;
    private volatile ChannelHandlerContext context;
    private volatile long lastRead = System.nanoTime();
    // the rest only on the channel's event loop
    private boolean discarding;
    private boolean closeFrameWritten;
    private boolean lingering;
    private ScheduledFuture<?> deadline;

    /**
     * @param limit the largest message until {@link #limit(long)} changes it
     * @param written told the size of each data frame Netty has written (or failed to write)
     * @param tooBig told once, on the event loop, when a message above the limit begins
     */
    FrameGuard(long limit, Duration closeTimeout, LongConsumer written, Runnable tooBig) {
        this.limit = limit;
        this.closeTimeout = closeTimeout;
        this.written = written;
        this.tooBig = tooBig;
    }

    /** Puts the guard in front of the session's frame decoder; false when there is none to find. */
    static boolean install(ChannelUpgradeStrategy.FrameSession session, FrameGuard guard) {
        Channel channel = session.channel();
        ChannelHandlerContext decoder = channel == null ? null : channel.pipeline().context(WebSocketFrameDecoder.class);
        if (decoder == null) {
            return false;
        }
        channel.pipeline().addBefore(decoder.name(), NAME, guard);
        return true;
    }

    /** When bytes from the client last arrived ({@link System#nanoTime()}). */
    long lastRead() {
        return lastRead;
    }

    /** Sets the largest message from the next frame header on. */
    void limit(long bytes) {
        limit = bytes;
    }

    /** The connection is closing: what the client sends no longer matters, and it ends within the close timeout. */
    void closing() {
        ChannelHandlerContext ctx = context;
        if (ctx != null) {
            ctx.executor().execute(() -> {
                discarding = true;
                armDeadline(ctx);
            });
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        lastRead = System.nanoTime();
        if (discarding) {
            in.release();
            return;
        }
        int at = scanner.scan(in, limit);
        if (at < 0) {
            ctx.fireChannelRead(in);
            return;
        }
        discarding = true;
        if (at > in.readerIndex()) {
            // the complete frames before it still reach the decoder
            ctx.fireChannelRead(in.retainedSlice(in.readerIndex(), at - in.readerIndex()));
        }
        in.release();
        ctx.channel().config().setAutoRead(true);
        armDeadline(ctx);
        tooBig.run();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof CloseWebSocketFrame) {
            closeFrameWritten = true;
            discarding = true;
            armDeadline(ctx);
        } else if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
            int bytes = ((WebSocketFrame) msg).content().readableBytes();
            ChannelPromise tracked = ctx.newPromise();
            tracked.addListener(f -> {
                written.accept(bytes);
                if (promise.isVoid()) {
                    return;
                }
                if (f.isSuccess()) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(f.cause());
                }
            });
            ctx.write(msg, tracked);
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        Channel channel = ctx.channel();
        if (lingering) {
            channel.closeFuture().addListener(f -> promise.trySuccess());
            return;
        }
        if (!closeFrameWritten || !channel.isActive() || !(channel instanceof DuplexChannel duplex)
                || duplex.isOutputShutdown()) {
            ctx.close(promise);
            return;
        }
        lingering = true;
        discarding = true;
        channel.config().setAutoRead(true);
        channel.closeFuture().addListener(f -> promise.trySuccess());
        armDeadline(ctx);
        // The close frame is written (the close follows its write): a FIN after it, and the
        // client's own close ends the connection.
        duplex.shutdownOutput();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    /** Drops the connection after the close timeout, bypassing {@link #close} (and its lingering). */
    private void armDeadline(ChannelHandlerContext ctx) {
        if (deadline == null && ctx.channel().isActive()) {
            deadline = ctx.executor().schedule(() -> {
                ctx.close();
            }, closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
