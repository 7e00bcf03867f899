package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class FrameScannerTest {

    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int PING = 0x9;

    private final FrameScanner scanner = new FrameScanner();

    @Test
    void framesWithinTheLimitPassWhateverTheirSizeEncoding() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame(TEXT, true, 100));      // 7-bit length
        stream.writeBytes(frame(TEXT, true, 1000));     // 16-bit length
        stream.writeBytes(frame(PING, true, 4));
        stream.writeBytes(frame(TEXT, true, 70_000));   // 64-bit length
        assertThat(scanner.scan(Unpooled.wrappedBuffer(stream.toByteArray()), 70_000)).isEqualTo(-1);
    }

    @Test
    void theFirstFrameAboveTheLimitIsFoundAtItsHeaderBeforeItsPayload() {
        byte[] small = frame(TEXT, true, 10);
        byte[] big = frame(TEXT, true, 20_000);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(small);
        in.writeBytes(big, 0, 14); // the big frame's header only
        assertThat(scanner.scan(in, 16_384)).isEqualTo(small.length);
    }

    @Test
    void aHeaderSplitAcrossReadsIsFollowed() {
        byte[] stream = concat(frame(TEXT, true, 300), frame(TEXT, true, 20_000));
        int found = -1;
        int offset = 0;
        for (int i = 0; i < stream.length && found < 0; i++) {
            // one byte per read, as slowly as a client may send
            ByteBuf one = Unpooled.wrappedBuffer(stream, i, 1);
            found = scanner.scan(one, 16_384);
            offset = i;
        }
        // found in the read that completed the second header (2 + 2 + 4 bytes after the first frame)
        assertThat(found).isZero();
        assertThat(offset).isEqualTo(frame(TEXT, true, 300).length + 7);
    }

    @Test
    void fragmentsAddUpToOneMessageAndControlFramesDoNotCount() {
        byte[] stream = concat(frame(TEXT, false, 8_000), frame(PING, true, 10), frame(CONTINUATION, false, 8_000),
                frame(CONTINUATION, true, 1_000));
        ByteBuf in = Unpooled.wrappedBuffer(stream);
        assertThat(scanner.scan(in.copy(), 17_000)).isEqualTo(-1);
        assertThat(new FrameScanner().scan(in.copy(), 16_384))
                .isEqualTo(frame(TEXT, false, 8_000).length + frame(PING, true, 10).length + frame(CONTINUATION, false, 8_000).length);
    }

    @Test
    void aNewMessageStartsCountingAfresh() {
        byte[] stream = concat(frame(TEXT, true, 10_000), frame(TEXT, true, 10_000), frame(TEXT, true, 10_000));
        assertThat(scanner.scan(Unpooled.wrappedBuffer(stream), 16_384)).isEqualTo(-1);
    }

    @Test
    void aLengthWithItsTopBitSetIsTooBig() {
        byte[] header = {(byte) 0x81, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(scanner.scan(Unpooled.wrappedBuffer(header), Long.MAX_VALUE - 1)).isZero();
    }

    /** A masked client frame with {@code length} payload bytes (zeros, masked with a zero key). */
    private static byte[] frame(int opcode, boolean fin, int length) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            f.write(0x80 | length);
        } else if (length <= 0xFFFF) {
            f.write(0x80 | 126);
            f.write(length >>> 8);
            f.write(length);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) length >>> shift));
            }
        }
        f.writeBytes(new byte[4]);
        f.writeBytes(new byte[length]);
        return f.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
