package dev.sgw.iscsi.pdu;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRC32C digest matches the published check values and goes on the wire least significant byte first. */
class Crc32cDigestTest {

    @Test
    void matchesTheCheckValueAndTheIscsiVector() {
        assertThat(new Crc32cDigest()
                        .update("123456789".getBytes(StandardCharsets.US_ASCII))
                        .value())
                .isEqualTo(0xe3069283);
        // RFC 3720 appendix B.4: 32 bytes of zeros give the bytes aa 36 91 8a on the wire
        assertThat(new Crc32cDigest().update(new byte[32]).value()).isEqualTo(0x8a9136aa);
    }

    @Test
    void headerDigestIsWrittenLittleEndianAfterTheHeader() {
        Bhs h = Bhs.of(Opcode.NOP_OUT).flags(0x80).itt(7);
        ByteBuf wire = FrameEncoder.encode(IscsiFrame.of(h), true, false);
        try {
            assertThat(wire.readableBytes()).isEqualTo(52);
            assertThat(wire.getIntLE(48)).isEqualTo(Crc32cDigest.header(h.bytes(), new byte[0]));
        } finally {
            wire.release();
        }
    }

    @Test
    void dataDigestCoversThePadding() {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
        int expected =
                new Crc32cDigest().update(new byte[] {1, 2, 3, 4, 5, 0, 0, 0}).value();
        assertThat(Crc32cDigest.data(data)).isEqualTo(expected);
        assertThat(Crc32cDigest.padding(5)).isEqualTo(3);
        assertThat(Crc32cDigest.padding(8)).isZero();
    }
}
