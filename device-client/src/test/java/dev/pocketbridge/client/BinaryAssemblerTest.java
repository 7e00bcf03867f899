package dev.pocketbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class BinaryAssemblerTest {

    @Test
    void aMessageInOnePartComesBackWhole() {
        ByteBuffer part = ByteBuffer.wrap(new byte[] {9, 1, 2, 3}, 1, 3); // as the client hands it: a window

        assertThat(new BinaryAssembler(100).accept(part, true)).containsExactly(1, 2, 3);
        assertThat(part.hasRemaining()).as("the part is read to its end").isFalse();
    }

    @Test
    void joinsPartsUntilTheLast() {
        BinaryAssembler assembler = new BinaryAssembler(100);

        assertThat(assembler.accept(ByteBuffer.wrap(new byte[] {1, 2}), false)).isNull();
        assertThat(assembler.accept(ByteBuffer.wrap(new byte[] {3}), false)).isNull();
        assertThat(assembler.pending()).isEqualTo(3);
        assertThat(assembler.accept(ByteBuffer.wrap(new byte[] {4}), true)).containsExactly(1, 2, 3, 4);
        assertThat(assembler.pending()).isZero();
        assertThat(assembler.accept(ByteBuffer.wrap(new byte[] {5}), true)).containsExactly(5);
    }

    @Test
    void refusesAMessageLongerThanTheLimitAndStartsOver() {
        BinaryAssembler assembler = new BinaryAssembler(10);
        assembler.accept(ByteBuffer.allocate(6), false);

        assertThatThrownBy(() -> assembler.accept(ByteBuffer.allocate(5), false)).isInstanceOf(IllegalStateException.class);
        assertThat(assembler.pending()).isZero();
        assertThat(assembler.accept(ByteBuffer.allocate(10), true)).hasSize(10);
    }
}
