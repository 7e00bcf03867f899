package dev.pocketbridge.client.files;

import static dev.pocketbridge.client.files.FileChunksTest.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The receiver's side of docs/content-format.md, with chunks from {@link FileChunks}. */
class FileAssemblerTest {

    private static final int SMALL = 1000;

    @TempDir
    Path dir;

    private Path spool() {
        return dir.resolve("spool");
    }

    private Path saved() {
        return dir.resolve("saved");
    }

    @Test
    void roundTripOfAFileOfSeveralChunksSavedUnderItsName() throws Exception {
        byte[] content = random(3 * SMALL + 17);
        FileChunks chunks = FileChunks.of("report.pdf", content, "application/pdf", SMALL);
        FileAssembler assembler = new FileAssembler(spool());

        List<FileAssembler.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < chunks.count(); i++) {
            outcomes.add(assembler.accept(chunks.chunk(i).encode()));
        }

        assertThat(outcomes.subList(0, 3)).extracting(o -> ((FileAssembler.Progress) o).held()).containsExactly(1, 2, 3);
        FileAssembler.Complete complete = (FileAssembler.Complete) outcomes.get(3);
        assertThat(complete.header().mediaType()).isEqualTo("application/pdf");
        Path file = assembler.saveInto(saved(), complete);
        assertThat(file).isEqualTo(saved().resolve("report.pdf")).hasBinaryContent(content);
        assertThat(spool()).as("nothing left in the spool").doesNotExist();
    }

    @Test
    void chunksInAnyOrderMakeTheSameFile() throws Exception {
        byte[] content = random(5 * SMALL);
        FileChunks chunks = FileChunks.of("a.bin", content, null, SMALL);
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4));
        Collections.shuffle(order, new Random(7));
        order.remove(Integer.valueOf(0));
        order.add(0); // chunk 0 last, whatever else
        FileAssembler assembler = new FileAssembler(spool());

        FileAssembler.Outcome last = null;
        for (int i : order) {
            last = assembler.accept(chunks.chunk(i).encode());
        }

        assertThat(assembler.saveInto(saved(), (FileAssembler.Complete) last)).hasBinaryContent(content);
    }

    @Test
    void aChunkHeldAlreadyIsIgnoredEvenAfterTheFileIsComplete() throws Exception {
        byte[] content = random(2 * SMALL);
        FileChunks chunks = FileChunks.of("a.bin", content, null, SMALL);
        FileAssembler assembler = new FileAssembler(spool());

        assertThat(assembler.accept(chunks.chunk(1).encode())).isInstanceOf(FileAssembler.Progress.class);
        assertThat(assembler.accept(chunks.chunk(1).encode())).isInstanceOf(FileAssembler.Duplicate.class);
        FileAssembler.Outcome complete = assembler.accept(chunks.chunk(0).encode());
        assertThat(complete).isInstanceOf(FileAssembler.Complete.class);
        assertThat(assembler.accept(chunks.chunk(0).encode())).isInstanceOf(FileAssembler.Duplicate.class);
        assertThat(assembler.saveInto(saved(), (FileAssembler.Complete) complete)).hasBinaryContent(content);
    }

    @Test
    void chunksSurviveARestartOfTheReceiver() throws Exception {
        byte[] content = random(3 * SMALL);
        FileChunks chunks = FileChunks.of("a.bin", content, null, SMALL);
        new FileAssembler(spool()).accept(chunks.chunk(0).encode());
        new FileAssembler(spool()).accept(chunks.chunk(2).encode());

        FileAssembler later = new FileAssembler(spool());
        assertThat(later.accept(chunks.chunk(2).encode())).isInstanceOf(FileAssembler.Duplicate.class);
        FileAssembler.Outcome outcome = later.accept(chunks.chunk(1).encode());

        assertThat(later.saveInto(saved(), (FileAssembler.Complete) outcome)).hasBinaryContent(content);
    }

    @Test
    void aCorruptChunkMakesTheFileCorruptReportedAndDiscarded() throws Exception {
        byte[] content = random(2 * SMALL);
        FileChunks chunks = FileChunks.of("a.bin", content, null, SMALL);
        FileChunk good = chunks.chunk(1);
        byte[] flipped = good.data().clone();
        flipped[10] ^= 1;
        FileAssembler assembler = new FileAssembler(spool());

        assembler.accept(chunks.chunk(0).encode());
        FileAssembler.Outcome outcome = assembler.accept(new FileChunk(good.header(), flipped).encode());

        assertThat(outcome).isInstanceOfSatisfying(FileAssembler.Corrupt.class,
                c -> assertThat(c.reason()).startsWith("its SHA-256 is"));
        assertThat(spool()).doesNotExist();
        assertThat(saved()).doesNotExist();
    }

    @Test
    void chunksThatDoNotAddUpToTheSizeAreCorrupt() throws Exception {
        FileChunks chunks = FileChunks.of("a.bin", random(2 * SMALL), null, SMALL);
        FileChunk short1 = new FileChunk(chunks.chunk(1).header(), new byte[5]);
        FileAssembler assembler = new FileAssembler(spool());

        assembler.accept(chunks.chunk(0).encode());

        assertThat(assembler.accept(short1.encode())).isInstanceOfSatisfying(FileAssembler.Corrupt.class,
                c -> assertThat(c.reason()).isEqualTo("its chunks hold 1005 bytes, not 2000"));
    }

    @Test
    void aChunkWithABadHeaderOrOneDisagreeingWithItsFileIsReportedAndIgnored() throws Exception {
        FileChunks chunks = FileChunks.of("a.bin", random(2 * SMALL), null, SMALL);
        FileHeader first = chunks.chunk(0).header();
        FileHeader other = new FileHeader(first.fileId(), "b.bin", first.size(), first.sha256(), 1, 2, null);
        FileAssembler assembler = new FileAssembler(spool());
        byte[] garbage = ByteBuffer.allocate(6).putInt(2).put("{x".getBytes(StandardCharsets.UTF_8)).array();

        assertThat(assembler.accept(garbage)).isInstanceOfSatisfying(FileAssembler.Invalid.class,
                i -> assertThat(i.reason()).contains("not valid JSON"));
        assembler.accept(chunks.chunk(0).encode());
        assertThat(assembler.accept(new FileChunk(other, new byte[SMALL]).encode()))
                .isInstanceOfSatisfying(FileAssembler.Invalid.class, i -> assertThat(i.reason()).contains("disagrees"));
        assertThat(assembler.accept(chunks.chunk(1).encode())).isInstanceOf(FileAssembler.Complete.class);
    }

    @Test
    void anEmptyFileIsSavedEmpty() throws Exception {
        FileAssembler assembler = new FileAssembler(spool());

        FileAssembler.Outcome outcome = assembler.accept(FileChunks.of("empty.txt", new byte[0], "text/plain").chunk(0).encode());

        assertThat(assembler.saveInto(saved(), (FileAssembler.Complete) outcome)).isEmptyFile()
                .hasFileName("empty.txt");
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws Exception {
        Files.createDirectories(saved());
        Files.writeString(saved().resolve("notes.txt"), "mine");
        Files.writeString(saved().resolve("notes (1).txt"), "mine too");
        FileAssembler assembler = new FileAssembler(spool());

        FileAssembler.Outcome outcome = assembler.accept(FileChunks.of("notes.txt", new byte[] {1}, null).chunk(0).encode());
        Path file = assembler.saveInto(saved(), (FileAssembler.Complete) outcome);

        assertThat(file).hasFileName("notes (2).txt").hasBinaryContent(new byte[] {1});
        assertThat(saved().resolve("notes.txt")).hasContent("mine");
        assertThat(saved().resolve("notes (1).txt")).hasContent("mine too");
    }

    @Test
    void aNameWithAPathIsSavedUnderItsBaseNameInTheDirectory() throws Exception {
        FileAssembler assembler = new FileAssembler(spool());

        FileAssembler.Outcome outcome = assembler.accept(FileChunks.of("../../etc/passwd", new byte[] {1}, null).chunk(0).encode());
        Path file = assembler.saveInto(saved(), (FileAssembler.Complete) outcome);

        assertThat(file).isEqualTo(saved().resolve("passwd"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            report.pdf          | report.pdf
            /home/me/report.pdf | report.pdf
            C:\\Users\\me\\a.txt | a.txt
            ../../etc/passwd    | passwd
            dir/                | file-ID
            .                   | file-ID
            ..                  | file-ID
            a/..                | file-ID
            ''                  | file-ID
            '   '               | file-ID
            .bashrc             | .bashrc
            """)
    void namesAreSanitised(String name, String expected) {
        assertThat(FileNames.safeName(name, "ID")).isEqualTo(expected);
    }

    @Test
    void controlCharactersInANameAreReplaced() {
        assertThat(FileNames.safeName("a\nb\u0000c.txt", "ID")).isEqualTo("a_b_c.txt");
        assertThat(FileNames.safeName("x", "../id")).isEqualTo("x");
        assertThat(FileNames.safeName("..", "../id")).isEqualTo("file-.._id");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            report.pdf     | report (3).pdf
            archive.tar.gz | archive.tar (3).gz
            README         | README (3)
            .bashrc        | .bashrc (3)
            """)
    void aTakenNameIsNumberedBeforeItsExtension(String name, String expected) {
        assertThat(FileNames.numbered(name, 3)).isEqualTo(expected);
    }
}
