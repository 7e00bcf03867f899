package dev.pocketbridge.gateway.session;

import io.netty.buffer.ByteBuf;

/**
 * Follows the frame headers (RFC 6455 §5.2) in a client's raw byte stream without buffering or
 * consuming anything, and finds the first frame that makes its message longer than a limit: the
 * length is in the header, so an oversized message is known before any of its payload is read.
 * A data message's length is the sum of its fragments; control frames are not counted. Everything
 * else about the frames (opcodes, masking, control frame sizes) is left to Netty's decoder.
 */
final class FrameScanner {

    private static final int MAX_HEADER = 14;
    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;

    private final byte[] header = new byte[MAX_HEADER];
    /** Bytes of the current header seen so far. */
    private int headerRead;
    /** Payload bytes of the current frame still to pass. */
    private long payloadLeft;
    /** Payload of the current data message so far, all its fragments. */
    private long messageBytes;

    /**
     * Scans the readable bytes of {@code in} (its indexes are left alone).
     *
     * @return the index in {@code in} where the header of the first frame that takes its message
     *         above {@code limit} starts (the buffer's reader index when the header began in an
     *         earlier buffer), or -1 when there is none
     */
    int scan(ByteBuf in, long limit) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        int headerStart = i;
        while (i < end) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, end - i);
                i += skip;
                payloadLeft -= skip;
                continue;
            }
            if (headerRead == 0) {
                headerStart = i;
            }
            header[headerRead++] = in.getByte(i++);
            if (headerRead < 2 || headerRead < headerLength()) {
                continue;
            }
            long length = payloadLength();
            headerRead = 0;
            payloadLeft = length < 0 ? Long.MAX_VALUE : length;
            int opcode = header[0] & 0x0F;
            if (opcode == OPCODE_TEXT || opcode == OPCODE_BINARY) {
                messageBytes = payloadLeft;
            } else if (opcode == OPCODE_CONTINUATION) {
                messageBytes = saturatedAdd(messageBytes, payloadLeft);
            } else {
                continue; // a control frame
            }
            if (messageBytes > limit) {
                return headerStart;
            }
        }
        return -1;
    }

    /** Header length once its second byte is known: 2, the extended length, the masking key. */
    private int headerLength() {
        int len7 = header[1] & 0x7F;
        int extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        int mask = (header[1] & 0x80) != 0 ? 4 : 0;
        return 2 + extended + mask;
    }

    /** The payload length of a complete header; negative for a 64-bit length with its top bit set. */
    private long payloadLength() {
        int len7 = header[1] & 0x7F;
        if (len7 < 126) {
            return len7;
        }
        int bytes = len7 == 126 ? 2 : 8;
        long length = 0;
        for (int k = 0; k < bytes; k++) {
            length = (length << 8) | (header[2 + k] & 0xFF);
        }
        return length;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
