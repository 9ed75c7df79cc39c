package dev.sgw.iscsi.session;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import dev.sgw.iscsi.pdu.Bhs;
import dev.sgw.iscsi.pdu.DataIn;
import dev.sgw.iscsi.pdu.DataOut;
import dev.sgw.iscsi.pdu.IscsiFrame;
import dev.sgw.iscsi.pdu.IscsiPdu;
import dev.sgw.iscsi.pdu.NopIn;
import dev.sgw.iscsi.pdu.NopOut;
import dev.sgw.iscsi.pdu.ReadyToTransfer;
import dev.sgw.iscsi.pdu.Reject;
import dev.sgw.iscsi.pdu.ScsiCommandRequest;
import dev.sgw.iscsi.pdu.ScsiCommandResponse;
import dev.sgw.iscsi.testing.TargetFixture;
import dev.sgw.iscsi.testing.TestInitiator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCSI data over a real socket: immediate data, unsolicited Data-Out and R2T bursts land byte for byte;
 * Data-In is cut by the initiator's MaxRecvDataSegmentLength with the status in the last PDU; sense data and
 * residuals reach the initiator; digests work end to end; out-of-sequence data, commands outside the window
 * and malformed PDUs are answered as RFC 7143 asks.
 */
class DataTransferTest {
    static final int BLOCK = 512;

    @TempDir
    Path dir;

    TargetFixture target;

    @BeforeEach
    void start() throws Exception {
        target = TargetFixture.start(dir, TargetSettings.defaults());
        target.addVolume("disk", 8 << 20, null);
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private TestInitiator login(TestInitiator i) throws Exception {
        assertThat(i.login(target.target("disk")).status()).isZero();
        return i;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void smallWritesTravelAsImmediateData() throws Exception {
        try (TestInitiator i = login(TestInitiator.connect(target.port()))) {
            byte[] data = random(8 * BLOCK, 1);
            TestInitiator.Result w = i.write10(16, data, BLOCK);
            assertThat(w.status()).isZero();
            assertThat(w.r2ts()).isZero();
            assertThat(target.directory.volume("disk").peek(16 * BLOCK, data.length))
                    .isEqualTo(data);
            assertThat(i.read10(16, 8, BLOCK).data()).isEqualTo(data);
        }
    }

    @Test
    void largeWritesUseUnsolicitedDataThenR2TBurstsOfMaxBurstLength() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            i.offer.put("ImmediateData", "No");
            i.offer.put("MaxBurstLength", "16384");
            i.offer.put("FirstBurstLength", "65536"); // more than MaxBurstLength: the target answers 16384
            i.offer.put("MaxOutstandingR2T", "2");
            login(i);
            assertThat(i.targetKeys)
                    .containsEntry("MaxBurstLength", "16384")
                    .containsEntry("FirstBurstLength", "16384")
                    .containsEntry("InitialR2T", "No")
                    .containsEntry("ImmediateData", "No");
            byte[] data = random(256 * 1024 + 8 * BLOCK, 2);
            TestInitiator.Result w = i.write10(100, data, BLOCK);
            assertThat(w.status()).isZero();
            assertThat(w.r2ts()).isEqualTo(16);
            List<ReadyToTransfer> r2ts = w.pdus().stream()
                    .filter(p -> p instanceof ReadyToTransfer)
                    .map(p -> (ReadyToTransfer) p)
                    .toList();
            assertThat(r2ts.get(0).bufferOffset())
                    .as("after the unsolicited first burst")
                    .isEqualTo(16384);
            assertThat(r2ts.subList(0, 15))
                    .allSatisfy(r -> assertThat(r.desiredLength()).isEqualTo(16384));
            assertThat(r2ts.get(15).desiredLength()).isEqualTo(8 * BLOCK);
            assertThat(r2ts)
                    .extracting(ReadyToTransfer::r2tSN)
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            assertThat(target.directory.volume("disk").peek(100 * BLOCK, data.length))
                    .isEqualTo(data);
            assertThat(i.read10(100, data.length / BLOCK, BLOCK).data()).isEqualTo(data);
        }
    }

    @Test
    void withInitialR2TAndNoImmediateDataEveryByteIsSolicited() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            i.offer.put("InitialR2T", "Yes");
            i.offer.put("ImmediateData", "No");
            login(i);
            byte[] data = random(40 * 1024, 3);
            TestInitiator.Result w = i.write10(0, data, BLOCK);
            assertThat(w.status()).isZero();
            assertThat(w.r2ts()).isEqualTo(1);
            assertThat(((ReadyToTransfer) w.pdus().get(0)).bufferOffset()).isZero();
            assertThat(target.directory.volume("disk").peek(0, data.length)).isEqualTo(data);
        }
    }

    @Test
    void dataInIsCutByTheInitiatorsSegmentLengthWithTheStatusInTheLastPdu() throws Exception {
        byte[] data = random(64 * 1024, 4);
        target.directory.volume("disk").write(0, ByteBuffer.wrap(data), false);
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            i.offer.put("MaxRecvDataSegmentLength", "4096");
            i.offer.put("MaxBurstLength", "16384");
            login(i);
            TestInitiator.Result r = i.read10(0, 128, BLOCK);
            assertThat(r.data()).isEqualTo(data);
            assertThat(r.status()).isZero();
            List<DataIn> pdus = r.pdus().stream().map(p -> (DataIn) p).toList();
            assertThat(pdus).hasSize(16);
            for (int n = 0; n < 16; n++) {
                DataIn d = pdus.get(n);
                assertThat(d.dataSN()).isEqualTo(n);
                assertThat(d.bufferOffset()).isEqualTo(n * 4096);
                assertThat(d.data().remaining()).isEqualTo(4096);
                assertThat(d.finalFlag()).as("F at each 16 KiB sequence end").isEqualTo(n % 4 == 3);
                assertThat(d.statusPresent()).isEqualTo(n == 15);
            }
            assertThat(r.pdus()).noneMatch(p -> p instanceof ScsiCommandResponse);
        }
    }

    @Test
    void checkConditionComesWithSenseInAScsiResponse() throws Exception {
        try (TestInitiator i = login(TestInitiator.connect(target.port()))) {
            TestInitiator.Result r = i.read10((8 << 20) / BLOCK, 1, BLOCK);
            assertThat(r.status()).isEqualTo(0x02);
            assertThat(r.response()).isZero();
            assertThat(r.sense()).hasSize(18);
            assertThat(r.sense()[2]).isEqualTo((byte) 0x05);
            assertThat(r.sense()[12]).isEqualTo((byte) 0x21);
        }
    }

    @Test
    void residualsReachTheInitiator() throws Exception {
        try (TestInitiator i = login(TestInitiator.connect(target.port()))) {
            TestInitiator.Result inquiry = i.command(new byte[] {0x12, 0, 0, 0, (byte) 255, 0}, true, false, 255, null);
            assertThat(inquiry.data()).hasSize(36);
            assertThat(inquiry.underflow()).isTrue();
            assertThat(inquiry.residual()).isEqualTo(255 - 36);
            TestInitiator.Result overflow = i.command(TestInitiator.cdb10(0x28, 0, 2), true, false, BLOCK, null);
            assertThat(overflow.overflow()).isTrue();
            assertThat(overflow.residual()).isEqualTo(BLOCK);
            assertThat(overflow.data()).hasSize(BLOCK);
        }
    }

    @Test
    void headerAndDataDigestsWorkEndToEnd() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            i.offer.put("HeaderDigest", "CRC32C,None");
            i.offer.put("DataDigest", "CRC32C,None");
            login(i);
            assertThat(i.headerDigest).isTrue();
            assertThat(i.dataDigest).isTrue();
            byte[] data = random(100 * 1024 + BLOCK, 5);
            assertThat(i.write10(7, data, BLOCK).status()).isZero();
            assertThat(i.read10(7, data.length / BLOCK, BLOCK).data()).isEqualTo(data);

            // a Data-Out with a damaged data digest is rejected (reason 0x02) and its task fails
            i.offer.clear();
            int task = i.itt++;
            i.send(new ScsiCommandRequest(
                    false,
                    true,
                    false,
                    true,
                    1,
                    0,
                    task,
                    BLOCK,
                    i.cmdSN++,
                    i.expStatSN,
                    TestInitiator.cdb10(0x2a, 0, 1),
                    -1,
                    ByteBuffer.allocate(0)));
            byte[] wire = i.encode(new DataOut(
                            true,
                            0,
                            task,
                            ((ReadyToTransfer) i.receive()).ttt(),
                            i.expStatSN,
                            0,
                            0,
                            ByteBuffer.wrap(new byte[BLOCK]))
                    .toFrame());
            wire[52 + 100] ^= 0x10; // a data byte after the BHS and its digest
            i.sendBytes(wire);
            Reject reject = i.receive(Reject.class);
            assertThat(reject.reason()).isEqualTo(Reject.DATA_DIGEST_ERROR);
            assertThat(Bhs.wrap(reject.rejectedHeader()).itt()).isEqualTo(task);
            assertThat(i.receive(ScsiCommandResponse.class).status()).isEqualTo(0x02);
        }
    }

    @Test
    void aDataOutOutOfSequenceEndsTheTaskWithCheckCondition() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            i.offer.put("InitialR2T", "Yes");
            i.offer.put("ImmediateData", "No");
            login(i);
            int task = i.itt++;
            i.send(new ScsiCommandRequest(
                    false,
                    true,
                    false,
                    true,
                    1,
                    0,
                    task,
                    2 * BLOCK,
                    i.cmdSN++,
                    i.expStatSN,
                    TestInitiator.cdb10(0x2a, 0, 2),
                    -1,
                    ByteBuffer.allocate(0)));
            ReadyToTransfer r2t = i.receive(ReadyToTransfer.class);
            i.send(new DataOut(false, 0, task, r2t.ttt(), i.expStatSN, 0, 0, ByteBuffer.wrap(new byte[BLOCK])));
            i.send(new DataOut(
                    true,
                    0,
                    task,
                    r2t.ttt(),
                    i.expStatSN,
                    0 /* should be 1 */,
                    BLOCK,
                    ByteBuffer.wrap(new byte[BLOCK])));
            ScsiCommandResponse r = i.receive(ScsiCommandResponse.class);
            assertThat(r.itt()).isEqualTo(task);
            assertThat(r.status()).isEqualTo(0x02);
            assertThat(r.sense()[2]).isEqualTo((byte) 0x0b);
            assertThat(r.sense()[12]).isEqualTo((byte) 0x4b);
            assertThat(i.nop(new byte[] {7}).data()).as("the session goes on").containsExactly(7);
        }
    }

    @Test
    void commandsOutsideTheWindowAreIgnoredAndTheWindowMoves() throws Exception {
        try (TestInitiator i = login(TestInitiator.connect(target.port()))) {
            int exp = i.expCmdSN;
            assertThat(i.maxCmdSN - exp + 1).isEqualTo(128);
            i.send(new NopOut(false, 0, 500, Bhs.NO_TAG, exp - 1, i.expStatSN, new byte[0])); // a duplicate
            i.send(new NopOut(false, 0, 501, Bhs.NO_TAG, i.maxCmdSN + 1, i.expStatSN, new byte[0])); // beyond MaxCmdSN
            i.send(new NopOut(false, 0, 502, Bhs.NO_TAG, exp, i.expStatSN, new byte[0]));
            NopIn only = i.receive(NopIn.class);
            assertThat(only.itt()).isEqualTo(502);
            assertThat(only.expCmdSN()).isEqualTo(exp + 1);
            assertThat(only.maxCmdSN()).isEqualTo(exp + 128);
        }
    }

    @Test
    void malformedPdusAreRejectedAndTheSessionGoesOn() throws Exception {
        try (TestInitiator i = login(TestInitiator.connect(target.port()))) {
            Bhs unknown = Bhs.of(dev.sgw.iscsi.pdu.Opcode.NOP_OUT);
            unknown.bytes()[0] = 0x1c;
            i.sendRaw(IscsiFrame.of(unknown));
            assertThat(i.receive(Reject.class).reason()).isEqualTo(Reject.COMMAND_NOT_SUPPORTED);
            i.send(new dev.sgw.iscsi.pdu.SnackRequest(0, 0, 1, Bhs.NO_TAG, i.expStatSN, 0, 0));
            assertThat(i.receive(Reject.class).reason()).isEqualTo(Reject.PROTOCOL_ERROR);
            // immediate data on a read command is a protocol error
            i.send(new ScsiCommandRequest(
                    false,
                    true,
                    true,
                    false,
                    1,
                    0,
                    i.itt++,
                    BLOCK,
                    i.cmdSN++,
                    i.expStatSN,
                    TestInitiator.cdb10(0x28, 0, 1),
                    -1,
                    ByteBuffer.wrap(new byte[16])));
            assertThat(i.receive(Reject.class).reason()).isEqualTo(Reject.PROTOCOL_ERROR);
            assertThat(i.read10(0, 1, BLOCK).status()).isZero();
        }
    }

    @Test
    void manyCommandsInFlightAllComplete() throws Exception {
        try (TestInitiator i = login(TestInitiator.connect(target.port()))) {
            int n = 64;
            for (int k = 0; k < n; k++) {
                i.send(new ScsiCommandRequest(
                        false,
                        true,
                        true,
                        false,
                        1,
                        0,
                        1000 + k,
                        BLOCK,
                        i.cmdSN++,
                        i.expStatSN,
                        TestInitiator.cdb10(0x28, k, 1),
                        -1,
                        ByteBuffer.allocate(0)));
            }
            java.util.Set<Integer> done = new java.util.HashSet<>();
            while (done.size() < n) {
                IscsiPdu p = i.receive();
                if (p instanceof DataIn d && d.statusPresent()) {
                    done.add(d.itt());
                }
            }
            assertThat(done).hasSize(n);
            assertThat(i.maxCmdSN - i.expCmdSN + 1).isEqualTo(128);
        }
    }
}
