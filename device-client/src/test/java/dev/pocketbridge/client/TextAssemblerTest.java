package dev.pocketbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextAssemblerTest {

    @Test
    void aMessageInOnePartComesBackAsIs() {
        assertThat(new TextAssembler(100).accept("{\"type\":\"ack\"}", true)).isEqualTo("{\"type\":\"ack\"}");
    }

    @Test
    void joinsPartsUntilTheLast() {
        TextAssembler assembler = new TextAssembler(100);

        assertThat(assembler.accept("{\"type\":", false)).isNull();
        assertThat(assembler.accept("\"event_ack\"", false)).isNull();
        assertThat(assembler.pending()).isEqualTo(19);
        assertThat(assembler.accept("}", true)).isEqualTo("{\"type\":\"event_ack\"}");
        assertThat(assembler.pending()).isZero();
        assertThat(assembler.accept("next", true)).isEqualTo("next");
    }

    @Test
    void refusesAMessageLongerThanTheLimitAndStartsOver() {
        TextAssembler assembler = new TextAssembler(10);
        assembler.accept("123456", false);

        assertThatThrownBy(() -> assembler.accept("78901", false)).isInstanceOf(IllegalStateException.class);
        assertThat(assembler.pending()).isZero();
        assertThat(assembler.accept("ok", true)).isEqualTo("ok");
    }
}
