package dev.pocketbridge.client.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pocketbridge.common.codec.Json;
import tools.jackson.databind.JsonNode;

/** The sender's side of docs/content-format.md: cutting, the header and its wire format, decoding. */
class FileChunksTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path dir;

    @Test
    void aFileNeedingSeveralChunksIsCutIntoChunksOfAtMost512KibWithOneHeader() throws Exception {
        byte[] content = random(2 * FileChunks.MAX_CHUNK_BYTES + 1000);
        Path file = Files.write(dir.resolve("photo.jpg"), content);

        FileChunks chunks = FileChunks.of(file, "image/jpeg");

        assertThat(chunks.count()).isEqualTo(3);
        Set<String> ids = new HashSet<>();
        ByteBuffer joined = ByteBuffer.allocate(content.length);
        for (int i = 0; i < 3; i++) {
            FileChunk chunk = FileChunk.decode(chunks.chunk(i).encode());
            assertThat(chunk.header().index()).isEqualTo(i);
            assertThat(chunk.header().count()).isEqualTo(3);
            assertThat(chunk.header().name()).isEqualTo("photo.jpg");
            assertThat(chunk.header().size()).isEqualTo(content.length);
            assertThat(chunk.header().sha256()).isEqualTo(sha256(content));
            assertThat(chunk.header().mediaType()).isEqualTo("image/jpeg");
            assertThat(chunk.data().length).isLessThanOrEqualTo(FileChunks.MAX_CHUNK_BYTES).isEqualTo(chunks.dataBytes(i));
            ids.add(chunk.header().fileId());
            joined.put(chunk.data());
        }
        assertThat(ids).hasSize(1);
        assertThat(joined.array()).isEqualTo(content);
        assertThat(FileChunks.of(file, null).header().fileId()).as("a new file_id per send").isNotIn(ids);
    }

    @Test
    void theWireFormatIsALengthPrefixedSnakeCaseJsonHeaderThenTheData() throws Exception {
        FileChunk chunk = FileChunks.of("a.txt", "hi".getBytes(StandardCharsets.UTF_8), null).chunk(0);
        byte[] plaintext = chunk.encode();

        int length = ByteBuffer.wrap(plaintext).getInt();
        JsonNode header = Json.mapper().readTree(new String(plaintext, 4, length, StandardCharsets.UTF_8));

        assertThat(header.propertyNames()).containsExactly("file_id", "name", "size", "sha256", "index", "count");
        assertThat(header.get("size").asLong()).isEqualTo(2);
        assertThat(header.get("count").asInt()).isEqualTo(1);
        assertThat(new String(plaintext, 4 + length, plaintext.length - 4 - length, StandardCharsets.UTF_8))
                .isEqualTo("hi");
    }

    @Test
    void anEmptyFileIsOneChunkWithoutData() throws Exception {
        FileChunks chunks = FileChunks.of(Files.write(dir.resolve("empty"), new byte[0]), null);

        assertThat(chunks.count()).isOne();
        FileChunk chunk = FileChunk.decode(chunks.chunk(0).encode());
        assertThat(chunk.data()).isEmpty();
        assertThat(chunk.header().size()).isZero();
        assertThat(chunk.header().sha256()).isEqualTo(EMPTY_SHA256);
    }

    @Test
    void aFileOfExactlyOneChunkIsOneChunk() {
        assertThat(FileChunks.of("x", new byte[FileChunks.MAX_CHUNK_BYTES], null).count()).isOne();
        assertThat(FileChunks.of("x", new byte[FileChunks.MAX_CHUNK_BYTES + 1], null).count()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            not json at all                                                                                | not valid JSON
            []                                                                                             | not valid JSON
            {"name":"a","size":1,"sha256":"%s","index":0,"count":1}                                         | lacks file_id
            {"file_id":"f","size":1,"sha256":"%s","index":0,"count":1}                                      | lacks name
            {"file_id":"f","name":"a","sha256":"%s","index":0,"count":1}                                    | lacks size
            {"file_id":"f","name":"a","size":1,"index":0,"count":1}                                         | lacks sha256
            {"file_id":"f","name":"a","size":1,"sha256":"%s","count":1}                                     | lacks index
            {"file_id":"f","name":"a","size":1,"sha256":"%s","index":0}                                     | lacks count
            {"file_id":"f","name":"a","size":1,"sha256":"%s","index":1,"count":1}                           | index 1 is not below count 1
            {"file_id":"f","name":"a","size":1,"sha256":"%s","index":0,"count":0}                           | count is below 1
            {"file_id":"f","name":"a","size":-1,"sha256":"%s","index":0,"count":1}                          | size is negative
            {"file_id":"f","name":"a","size":1,"sha256":"abc","index":0,"count":1}                          | sha256 is not 64 hex digits
            {"file_id":"f","name":"a","size":"1","sha256":"%s","index":0,"count":1}                         | not valid JSON
            """)
    void aBadHeaderIsRefusedWithTheReason(String json, String reason) {
        byte[] header = json.formatted(EMPTY_SHA256).getBytes(StandardCharsets.UTF_8);
        byte[] plaintext = ByteBuffer.allocate(4 + header.length).putInt(header.length).put(header).array();

        assertThatThrownBy(() -> FileChunk.decode(plaintext)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aLengthPrefixBeyondThePlaintextIsRefused() {
        assertThatThrownBy(() -> FileChunk.decode(new byte[] {0, 0, 0, 9, '{', '}'}))
                .isInstanceOf(FileFormatException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> FileChunk.decode(new byte[] {(byte) 0xff, 0, 0, 0, '{', '}'}))
                .isInstanceOf(FileFormatException.class);
        assertThatThrownBy(() -> FileChunk.decode(new byte[3])).isInstanceOf(FileFormatException.class);
    }

    @Test
    void unknownHeaderMembersAreIgnoredForNewerSenders() {
        String json = "{\"file_id\":\"f\",\"name\":\"a\",\"size\":0,\"sha256\":\"" + EMPTY_SHA256
                + "\",\"index\":0,\"count\":1,\"thumbnail\":\"x\"}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);

        FileChunk chunk = FileChunk.decode(ByteBuffer.allocate(4 + header.length).putInt(header.length).put(header).array());

        assertThat(chunk.header().name()).isEqualTo("a");
        assertThat(chunk.header().mediaType()).isNull();
    }

    static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(FileChunks.sha256().digest(content));
    }
}
