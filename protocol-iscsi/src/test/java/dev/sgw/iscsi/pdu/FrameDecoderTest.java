package dev.sgw.iscsi.pdu;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame decoder cuts PDUs out of a byte stream however it is split, checks digests when they are on, and
 * turns damaged PDUs into {@link InvalidPdu}s without losing its place in the stream.
 */
class FrameDecoderTest {

    private static final NopOut NOP = new NopOut(false, 0, 11, Bhs.NO_TAG, 5, 9, new byte[] {1, 2, 3, 4, 5});
    private static final ScsiCommandRequest WRITE = new ScsiCommandRequest(
            false,
            true,
            false,
            true,
            1,
            0,
            12,
            1024,
            6,
            9,
            new byte[] {0x2a, 0, 0, 0, 0, 8, 0, 0, 2, 0},
            -1,
            ByteBuffer.wrap(pattern(100)));
    private static final LogoutRequest LOGOUT = new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, 13, 1, 7, 9);

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return b;
    }

    private static byte[] wire(boolean headerDigest, boolean dataDigest, IscsiPdu... pdus) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (IscsiPdu p : pdus) {
            ByteBuf b = FrameEncoder.encode(p.toFrame(), headerDigest, dataDigest);
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static EmbeddedChannel channel(boolean headerDigest, boolean dataDigest, int maxData) {
        FrameDecoder decoder = new FrameDecoder(maxData);
        decoder.useDigests(headerDigest, dataDigest);
        return new EmbeddedChannel(decoder, PduDecoder.TARGET);
    }

    /** Feeds {@code bytes} in pieces cut at {@code cuts} and collects everything decoded. */
    private static List<Object> feed(EmbeddedChannel ch, byte[] bytes, int... cuts) {
        int from = 0;
        for (int cut : cuts) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, from, cut - from));
            from = cut;
        }
        ch.writeInbound(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    private static void assertTheThree(List<Object> decoded) {
        assertThat(decoded).hasSize(3);
        NopOut nop = (NopOut) decoded.get(0);
        assertThat(nop.itt()).isEqualTo(11);
        assertThat(nop.data()).containsExactly(1, 2, 3, 4, 5);
        ScsiCommandRequest write = (ScsiCommandRequest) decoded.get(1);
        assertThat(write.cdb()).hasSize(10).startsWith(0x2a);
        assertThat(write.expectedDataTransferLength()).isEqualTo(1024);
        assertThat(write.immediateData()).isEqualTo(ByteBuffer.wrap(pattern(100)));
        assertThat(((LogoutRequest) decoded.get(2)).itt()).isEqualTo(13);
    }

    @Test
    void decodesPdusFedOneByteAtATime() {
        byte[] bytes = wire(false, false, NOP, WRITE, LOGOUT);
        int[] everyByte = new int[bytes.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertTheThree(feed(channel(false, false, 8192), bytes, everyByte));
    }

    @Test
    void decodesPdusSplitAtAwkwardPoints() {
        byte[] bytes = wire(false, false, NOP, WRITE, LOGOUT);
        // inside the first BHS, right after it, inside the padding, across two PDUs, inside the third BHS
        assertTheThree(feed(channel(false, false, 8192), bytes, 5, 48, 54, 55, 57, 100, 160, bytes.length - 3));
        assertTheThree(feed(channel(false, false, 8192), bytes));
    }

    @Test
    void checksAndStripsDigestsWhenOn() {
        byte[] bytes = wire(true, true, NOP, WRITE, LOGOUT);
        assertThat(bytes.length).isEqualTo(wire(false, false, NOP, WRITE, LOGOUT).length + 3 * 4 + 2 * 4);
        assertTheThree(feed(channel(true, true, 8192), bytes, 47, 49, 52, 53, 58, 61, 130));
    }

    @Test
    void aBadHeaderDigestIsFatal() {
        byte[] bytes = wire(true, false, NOP);
        bytes[49] ^= 0x40;
        List<Object> decoded = feed(channel(true, false, 8192), bytes);
        assertThat(decoded).singleElement().isInstanceOfSatisfying(InvalidPdu.class, i -> {
            assertThat(i.problem()).isEqualTo(InvalidPdu.Problem.HEADER_DIGEST);
            assertThat(i.problem().fatal()).isTrue();
        });
    }

    @Test
    void aBadDataDigestIsReportedAndTheNextPduStillDecodes() {
        byte[] bytes = wire(true, true, WRITE, LOGOUT);
        bytes[52 + 10] ^= 1; // a byte of the immediate data
        List<Object> decoded = feed(channel(true, true, 8192), bytes, 60, 150);
        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(0)).isInstanceOfSatisfying(InvalidPdu.class, i -> {
            assertThat(i.problem()).isEqualTo(InvalidPdu.Problem.DATA_DIGEST);
            assertThat(i.problem().fatal()).isFalse();
            assertThat(i.header().itt()).isEqualTo(12);
        });
        assertThat(decoded.get(1)).isInstanceOf(LogoutRequest.class);
    }

    @Test
    void anOversizedDataSegmentIsSkippedWithoutLosingTheStream() {
        NopOut big = new NopOut(false, 0, 21, Bhs.NO_TAG, 5, 9, pattern(10_001));
        byte[] bytes = wire(false, false, big, LOGOUT);
        EmbeddedChannel ch = channel(false, false, 8192);
        List<Object> decoded = feed(ch, bytes, 48, 1000, 5000, 9000);
        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(0))
                .isInstanceOfSatisfying(
                        InvalidPdu.class, i -> assertThat(i.problem()).isEqualTo(InvalidPdu.Problem.DATA_TOO_LONG));
        assertThat(decoded.get(1)).isInstanceOf(LogoutRequest.class);
    }

    @Test
    void unknownOpcodesAndTargetOpcodesBecomeInvalidPdus() {
        Bhs unknown = Bhs.of(Opcode.NOP_OUT).flags(0x80);
        unknown.bytes()[0] = 0x1e;
        byte[] nopIn = wire(false, false, new NopIn(0, 1, Bhs.NO_TAG, 1, 1, 1, new byte[0]));
        ByteBuf u = FrameEncoder.encode(IscsiFrame.of(unknown), false, false);
        byte[] unknownBytes = new byte[u.readableBytes()];
        u.readBytes(unknownBytes);
        u.release();
        EmbeddedChannel ch = channel(false, false, 8192);
        List<Object> decoded = feed(ch, concat(unknownBytes, nopIn), 48);
        assertThat(decoded)
                .extracting(o -> ((InvalidPdu) o).problem())
                .containsExactly(InvalidPdu.Problem.UNKNOWN_OPCODE, InvalidPdu.Problem.UNEXPECTED_OPCODE);
    }

    @Test
    void aLoginRequestWithTransitAndContinueIsABadField() {
        Bhs h = new LoginRequest(true, false, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, new byte[0])
                .toFrame()
                .header();
        h.flags(h.flags() | 0x40);
        ByteBuf b = FrameEncoder.encode(IscsiFrame.of(h), false, false);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        assertThat(feed(channel(false, false, 8192), bytes))
                .singleElement()
                .isInstanceOfSatisfying(
                        InvalidPdu.class, i -> assertThat(i.problem()).isEqualTo(InvalidPdu.Problem.BAD_FIELD));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
