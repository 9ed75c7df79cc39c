package dev.sgw.iscsi.pdu;

import java.nio.ByteBuffer;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every PDU kind survives the way out (PDU encoder, frame encoder) and back (frame decoder), field by field. */
class PduCodecTest {

    private static final byte[] TEXT = "SendTargets=All\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static List<IscsiPdu> samples() {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5, 4, 3});
        return List.of(
                new LoginRequest(true, false, 1, 3, 0, 0, 0x400001370000L, 0, 1, 2, 100, 55, TEXT),
                new LoginResponse(true, false, 1, 3, 0, 0, 0x400001370000L, 9, 1, 77, 100, 227, 2, 1, TEXT),
                new TextRequest(false, true, false, 0, 3, Bhs.NO_TAG, 101, 78, TEXT),
                new TextResponse(false, true, 0, 3, 17, 78, 102, 229, TEXT),
                new ScsiCommandRequest(
                        false,
                        false,
                        true,
                        true,
                        1,
                        0x0001000000000000L,
                        4,
                        4096,
                        102,
                        79,
                        new byte[] {(byte) 0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 8, 0, 0},
                        -1,
                        data),
                new ScsiCommandResponse(
                        false, false, false, true, 0, 2, 4, 79, 103, 230, 2, 0, 512, new byte[] {0, 2, 0x70, 0}),
                new DataOut(true, 0, 4, 18, 79, 0, 4096, data),
                new DataIn(true, false, false, true, true, 0, 0, 5, Bhs.NO_TAG, 80, 104, 231, 3, 8192, 100, data),
                new ReadyToTransfer(0, 4, 18, 81, 104, 231, 1, 65536, 262144),
                new NopOut(true, 0, Bhs.NO_TAG, 44, 104, 81, new byte[0]),
                new NopIn(0, Bhs.NO_TAG, 44, 81, 104, 231, new byte[] {1, 2}),
                new TaskManagementRequest(true, TaskManagementRequest.ABORT_TASK, 0, 6, 4, 104, 81, 102, 0),
                new TaskManagementResponse(TaskManagementResponse.TASK_DOES_NOT_EXIST, 6, 81, 104, 231),
                new LogoutRequest(true, LogoutRequest.CLOSE_CONNECTION, 7, 2, 104, 82),
                new LogoutResponse(LogoutResponse.CLOSED, 7, 82, 104, 231, 2, 0),
                new Reject(Reject.PROTOCOL_ERROR, 83, 104, 231, 0, new byte[48]),
                new AsyncMessage(0, 84, 104, 231, AsyncMessage.DROPPING_ALL_CONNECTIONS, 0, 0, 2, 0, new byte[0]),
                new SnackRequest(0, 0, 8, Bhs.NO_TAG, 85, 0, 0));
    }

    @Test
    void everyKindRoundTrips() {
        for (IscsiPdu pdu : samples()) {
            EmbeddedChannel out = new EmbeddedChannel(new FrameEncoder(), PduEncoder.INSTANCE);
            out.writeOutbound(pdu);
            ByteBuf wire = out.readOutbound();
            EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(8192));
            in.writeInbound(wire);
            IscsiFrame frame = in.readInbound();
            Object back = PduDecoder.decodeFrame(frame, false);
            assertThat(back)
                    .as(pdu.opcode().toString())
                    .usingRecursiveComparison()
                    .withEqualsForType(ByteBuffer::equals, ByteBuffer.class)
                    .isEqualTo(pdu);
            assertThat(frame.header().opcodeCode()).isEqualTo(pdu.opcode().code());
        }
    }

    @Test
    void aCdbLongerThanSixteenBytesTravelsInAnExtendedCdbAhs() {
        byte[] cdb = new byte[32];
        cdb[0] = 0x7f;
        for (int i = 1; i < cdb.length; i++) {
            cdb[i] = (byte) i;
        }
        ScsiCommandRequest c =
                new ScsiCommandRequest(false, true, true, false, 1, 0, 9, 512, 1, 1, cdb, -1, ByteBuffer.allocate(0));
        IscsiFrame frame = c.toFrame();
        assertThat(frame.header().totalAhsLengthWords()).isEqualTo(5); // 3 + 17 bytes, padded to 20
        ScsiCommandRequest back = ScsiCommandRequest.decode(frame);
        assertThat(back.cdb()).isEqualTo(cdb);
    }

    @Test
    void theCdbIsCutToItsGroupLength() {
        byte[] field = new byte[16];
        field[0] = 0x28;
        field[12] = 99; // beyond a 10-byte CDB: not part of it
        Bhs h = Bhs.of(Opcode.SCSI_COMMAND).flags(0xc0).put(32, field);
        assertThat(ScsiCommandRequest.decode(IscsiFrame.of(h)).cdb()).hasSize(10);
        field[0] = 0x00;
        assertThat(ScsiCommandRequest.decode(
                                IscsiFrame.of(Bhs.of(Opcode.SCSI_COMMAND).put(32, field)))
                        .cdb())
                .hasSize(6);
        field[0] = (byte) 0x88;
        assertThat(ScsiCommandRequest.decode(
                                IscsiFrame.of(Bhs.of(Opcode.SCSI_COMMAND).put(32, field)))
                        .cdb())
                .hasSize(16);
    }

    @Test
    void theSenseSegmentCarriesItsLength() {
        byte[] segment = ScsiCommandResponse.senseSegment(ByteBuffer.wrap(new byte[] {0x70, 0, 5}));
        assertThat(segment).containsExactly(0, 3, 0x70, 0, 5);
        ScsiCommandResponse r = new ScsiCommandResponse(false, false, false, false, 0, 2, 1, 1, 1, 1, 0, 0, 0, segment);
        assertThat(r.sense()).containsExactly(0x70, 0, 5);
        assertThat(ScsiCommandResponse.senseSegment(ByteBuffer.allocate(0))).isEmpty();
    }
}
