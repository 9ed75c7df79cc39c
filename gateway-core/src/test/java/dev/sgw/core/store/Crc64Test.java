package dev.sgw.core.store;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Crc64Test {

    @Test
    void matchesTheEcmaCheckValue() {
        assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x995DC9BBDF1939FAL);
        assertThat(Crc64.of(new byte[0])).isZero();
    }

    @Test
    void slicedAndBytewisePathsAgree() {
        Random random = new Random(7);
        for (int length = 0; length < 100; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            long bytewise = 0;
            for (int i = 0; i < length; i++) {
                bytewise = Crc64.update(bytewise, data, i, 1);
            }
            assertThat(Crc64.of(data)).as("length %d", length).isEqualTo(bytewise);
        }
    }

    @Test
    void combineJoinsAdjacentPieces() {
        Random random = new Random(11);
        byte[] data = new byte[300_000];
        random.nextBytes(data);
        for (int split : new int[] {0, 1, 7, 8, 4096, 123_457, 299_999, 300_000}) {
            long a = Crc64.update(0, data, 0, split);
            long b = Crc64.update(0, data, split, data.length - split);
            assertThat(Crc64.combine(a, b, data.length - split))
                    .as("split %d", split)
                    .isEqualTo(Crc64.of(data));
        }
    }

    @Test
    void printsAndParsesAsUnsignedDecimalLikeOss() {
        long crc = 0x995DC9BBDF1939FAL;
        assertThat(Crc64.toUnsignedString(crc)).isEqualTo("11051210869376104954");
        assertThat(Crc64.parseUnsigned("11051210869376104954")).isEqualTo(crc);
    }
}
