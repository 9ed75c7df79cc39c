package dev.sgw.core.block;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockVolumeDescriptorTest {

    private static BlockVolumeDescriptor parse(String json) throws VolumeException {
        return BlockVolumeDescriptor.fromJson("v", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesTheDocumentedJsonAndReadsItBack() throws Exception {
        BlockVolumeConfig config = BlockVolumeConfig.of("v", "s1", 1L << 30, 4096, VolumeMode.CACHE);
        BlockVolumeDescriptor d = BlockVolumeDescriptor.of(config, Instant.parse("2026-05-01T10:15:00Z"));
        String json = new String(d.toJson(), StandardCharsets.UTF_8);
        assertThat(json)
                .isEqualTo("{\"formatVersion\":1,\"capacity\":1073741824,\"blockSize\":4096,"
                        + "\"chunkSize\":1048576,\"created\":\"2026-05-01T10:15:00Z\",\"encryption\":null}");
        assertThat(parse(json)).isEqualTo(d);
        BlockVolumeDescriptor encrypted =
                new BlockVolumeDescriptor(1, 4096, 512, 65536, Instant.EPOCH, Map.of("algorithm", "AES-256-GCM"));
        assertThat(BlockVolumeDescriptor.fromJson("v", encrypted.toJson())).isEqualTo(encrypted);
    }

    @Test
    void acceptsUnknownFieldsButNotANewerFormatOrGarbage() throws Exception {
        assertThat(parse("{\"formatVersion\":1,\"capacity\":4096,\"blockSize\":512,\"chunkSize\":65536,"
                                + "\"created\":\"2026-01-01T00:00:00Z\",\"future\":[1,2]}")
                        .capacity())
                .isEqualTo(4096);
        assertThatThrownBy(() -> parse("{\"formatVersion\":2,\"capacity\":4096,\"blockSize\":512,\"chunkSize\":65536,"
                        + "\"created\":\"2026-01-01T00:00:00Z\"}"))
                .isInstanceOfSatisfying(
                        VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.NOTSUPP));
        for (String bad : new String[] {
            "",
            "[]",
            "{\"formatVersion\":1}",
            "{not json",
            "{\"formatVersion\":1,\"capacity\":4096,\"blockSize\":512,\"chunkSize\":65536,\"created\":\"yesterday\"}"
        }) {
            assertThatThrownBy(() -> parse(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.IO));
        }
    }
}
