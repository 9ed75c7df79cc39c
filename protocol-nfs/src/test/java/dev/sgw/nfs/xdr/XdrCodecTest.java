package dev.sgw.nfs.xdr;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XdrCodecTest {

    @Test
    void everyTypeRoundTrips() {
        XdrEncoder out = new XdrEncoder(Unpooled.buffer(4)); // grows
        out.writeInt(-7)
                .writeUnsignedInt(0xFFFF_FFFEL)
                .writeHyper(Long.MIN_VALUE)
                .writeUnsignedHyper(-1L)
                .writeBool(true)
                .writeBool(false)
                .writeEnum(3)
                .writeFixedOpaque(new byte[] {1, 2, 3})
                .writeOpaque(new byte[] {9}, 10)
                .writeString("héllo", 16)
                .writeIntArray(new int[] {5, 6}, 16);
        XdrDecoder in = new XdrDecoder(out.buffer());
        assertThat(in.readInt()).isEqualTo(-7);
        assertThat(in.readUnsignedInt()).isEqualTo(0xFFFF_FFFEL);
        assertThat(in.readHyper()).isEqualTo(Long.MIN_VALUE);
        assertThat(in.readUnsignedHyper()).isEqualTo(-1L);
        assertThat(in.readBool()).isTrue();
        assertThat(in.readBool()).isFalse();
        assertThat(in.readEnum()).isEqualTo(3);
        assertThat(in.readFixedOpaque(3)).containsExactly(1, 2, 3);
        assertThat(in.readOpaque(10)).containsExactly(9);
        assertThat(in.readString(16)).isEqualTo("héllo");
        assertThat(in.readIntArray(16)).containsExactly(5, 6);
        in.requireEnd();
    }

    @Test
    void opaqueAndStringsArePaddedWithZerosToFourBytes() {
        for (int len = 0; len <= 8; len++) {
            byte[] data = new byte[len];
            java.util.Arrays.fill(data, (byte) 0xAB);
            ByteBuf b = new XdrEncoder().writeOpaque(data, 8).buffer();
            assertThat(b.readableBytes()).as("length %d", len).isEqualTo(4 + ((len + 3) / 4) * 4);
            for (int i = 4 + len; i < b.readableBytes(); i++) {
                assertThat(b.getByte(i)).isZero();
            }
            XdrDecoder in = new XdrDecoder(b);
            assertThat(in.readOpaque(8)).isEqualTo(data);
            assertThat(in.remaining()).isZero();
        }
        assertThat(ByteBufUtil.hexDump(new XdrEncoder().writeString("abcde", 8).buffer()))
                .isEqualTo("000000056162636465000000");
    }

    @Test
    void lengthOverTheMaximumIsRejectedBeforeAnyAllocation() {
        ByteBuf b = Unpooled.buffer().writeInt(9).writeZero(12);
        assertThatThrownBy(() -> new XdrDecoder(b).readOpaque(8))
                .isInstanceOf(XdrException.class)
                .hasMessageContaining("at most 8");
        ByteBuf huge = Unpooled.buffer().writeInt(0xFFFF_FFFF);
        assertThatThrownBy(() -> new XdrDecoder(huge).readString(Integer.MAX_VALUE))
                .isInstanceOf(XdrException.class);
        ByteBuf gids = Unpooled.buffer().writeInt(17).writeZero(17 * 4);
        assertThatThrownBy(() -> new XdrDecoder(gids).readIntArray(16)).isInstanceOf(XdrException.class);
    }

    @Test
    void shortInputIsRejectedForEveryType() {
        assertThatThrownBy(() -> new XdrDecoder(Unpooled.buffer().writeZero(3)).readInt())
                .isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> new XdrDecoder(Unpooled.buffer().writeZero(7)).readHyper())
                .isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> new XdrDecoder(Unpooled.buffer().writeZero(7)).readUnsignedHyper())
                .isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> new XdrDecoder(Unpooled.buffer().writeZero(3)).readFixedOpaque(1))
                .isInstanceOf(XdrException.class); // one byte of data needs its 3 bytes of padding too
        // a length of 5 with 5 bytes present but its padding missing
        ByteBuf unpadded = Unpooled.buffer().writeInt(5).writeZero(5);
        assertThatThrownBy(() -> new XdrDecoder(unpadded).readOpaque(8)).isInstanceOf(XdrException.class);
        ByteBuf shortArray = Unpooled.buffer().writeInt(3).writeZero(8);
        assertThatThrownBy(() -> new XdrDecoder(shortArray).readIntArray(16)).isInstanceOf(XdrException.class);
    }

    @Test
    void boolOtherThanZeroOrOneAndTrailingBytesAreRejected() {
        assertThatThrownBy(() -> new XdrDecoder(Unpooled.buffer().writeInt(2)).readBool())
                .isInstanceOf(XdrException.class);
        XdrDecoder in = new XdrDecoder(Unpooled.buffer().writeInt(1).writeInt(2));
        in.readInt();
        assertThatThrownBy(in::requireEnd).isInstanceOf(XdrException.class);
    }

    @Test
    void encoderRefusesToWriteOverAMaximum() {
        assertThatThrownBy(() -> new XdrEncoder().writeString("x".repeat(256), 255))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new XdrEncoder().writeUnsignedInt(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
