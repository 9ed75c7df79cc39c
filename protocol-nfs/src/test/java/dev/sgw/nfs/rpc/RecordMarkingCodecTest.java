package dev.sgw.nfs.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordMarkingCodecTest {

    private static byte[] fragment(byte[] data, boolean last) {
        ByteBuf b = Unpooled.buffer()
                .writeInt((last ? 0x8000_0000 : 0) | data.length)
                .writeBytes(data);
        return ByteBufUtil.getBytes(b);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return ByteBufUtil.getBytes(b);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<byte[]> records(EmbeddedChannel ch) {
        List<byte[]> out = new ArrayList<>();
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            out.add(ByteBufUtil.getBytes(b));
            b.release();
        }
        return out;
    }

    @Test
    void recordsSplitAtEveryPossibleOffsetAreReassembled() {
        byte[] a = bytes(10, 1), b1 = bytes(7, 2), b2 = bytes(0, 3), b3 = bytes(5, 4), c = bytes(1, 5);
        // record a in one fragment, record b in three (one of them empty), record c in one
        byte[] stream = concat(
                fragment(a, true), fragment(b1, false), fragment(b2, false), fragment(b3, true), fragment(c, true));
        for (int split1 = 0; split1 <= stream.length; split1++) {
            for (int split2 = split1; split2 <= stream.length; split2 += 3) {
                EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(64));
                ch.writeInbound(Unpooled.copiedBuffer(stream, 0, split1));
                ch.writeInbound(Unpooled.copiedBuffer(stream, split1, split2 - split1));
                ch.writeInbound(Unpooled.copiedBuffer(stream, split2, stream.length - split2));
                List<byte[]> got = records(ch);
                assertThat(got).as("splits at %d and %d", split1, split2).hasSize(3);
                assertThat(got.get(0)).isEqualTo(a);
                assertThat(got.get(1)).isEqualTo(concat(b1, b3));
                assertThat(got.get(2)).isEqualTo(c);
                assertThat(ch.finish()).isFalse();
            }
        }
    }

    @Test
    void byteByByteInputGivesTheSameRecords() {
        byte[] a = bytes(13, 6), b = bytes(4, 7);
        byte[] stream = concat(fragment(a, false), fragment(b, true), fragment(b, true));
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(64));
        for (byte x : stream) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
        }
        List<byte[]> got = records(ch);
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).isEqualTo(concat(a, b));
        assertThat(got.get(1)).isEqualTo(b);
    }

    @Test
    void severalRecordsInOneReadAllComeOut() {
        byte[] stream = new byte[0];
        for (int i = 0; i < 50; i++) {
            stream = concat(stream, fragment(bytes(i, i), true));
        }
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(64));
        ch.writeInbound(Unpooled.wrappedBuffer(stream));
        List<byte[]> got = records(ch);
        assertThat(got).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(got.get(i)).isEqualTo(bytes(i, i));
        }
    }

    @Test
    void aRecordOverTheMaximumClosesTheConnectionEvenWhenItsFragmentsAreSmall() {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(16));
        ch.writeInbound(Unpooled.wrappedBuffer(fragment(bytes(16, 1), true))); // exactly the maximum: fine
        assertThat(records(ch)).hasSize(1);
        ch.writeInbound(Unpooled.wrappedBuffer(concat(fragment(bytes(10, 2), false), fragment(bytes(10, 3), true))));
        assertThat(records(ch)).isEmpty();
        assertThat(ch.isOpen()).isFalse();

        EmbeddedChannel single = new EmbeddedChannel(new RecordMarkingDecoder(16));
        single.writeInbound(Unpooled.buffer().writeInt(0x8000_0000 | 0x7FFF_FFFF)); // a 2 GiB header alone
        assertThat(single.isOpen()).isFalse();
        assertThat(records(single)).isEmpty();
    }

    @Test
    void encoderWritesOneLastFragmentPerRecord() {
        EmbeddedChannel ch = new EmbeddedChannel(RecordMarkingEncoder.INSTANCE);
        ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5}));
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.writeBytes(b);
            b.release();
        }
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("800000050102030405");
        // and the decoder reads back what the encoder wrote
        EmbeddedChannel back = new EmbeddedChannel(new RecordMarkingDecoder(64));
        back.writeInbound(out);
        assertThat(records(back).get(0)).containsExactly(1, 2, 3, 4, 5);
    }
}
