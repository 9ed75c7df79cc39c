package dev.sgw.iscsi.session;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.iscsi.login.NegotiationLimits;
import dev.sgw.iscsi.pdu.AsyncMessage;
import dev.sgw.iscsi.pdu.Bhs;
import dev.sgw.iscsi.pdu.IscsiPdu;
import dev.sgw.iscsi.pdu.LoginResponse;
import dev.sgw.iscsi.pdu.LogoutRequest;
import dev.sgw.iscsi.pdu.LogoutResponse;
import dev.sgw.iscsi.pdu.NopIn;
import dev.sgw.iscsi.pdu.NopOut;
import dev.sgw.iscsi.pdu.ScsiCommandRequest;
import dev.sgw.iscsi.pdu.TaskManagementRequest;
import dev.sgw.iscsi.pdu.TaskManagementResponse;
import dev.sgw.iscsi.scsi.ItNexus;
import dev.sgw.iscsi.testing.MemoryLogicalUnit;
import dev.sgw.iscsi.testing.TargetFixture;
import dev.sgw.iscsi.testing.TestInitiator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions over a real socket: NOP both ways and the dead-connection timeout, task management (an aborted
 * task gets no response, resets reach the logical unit, unsupported functions get their codes), logout,
 * lost connections and volume changes, with the logical unit told when a nexus goes away.
 */
class SessionLifecycleTest {
    static final Duration NOP_INTERVAL = Duration.ofMillis(300);

    @TempDir
    Path dir;

    TargetFixture target;

    @BeforeEach
    void start() throws Exception {
        target = TargetFixture.start(
                dir,
                new TargetSettings(NegotiationLimits.defaults(), 128, 16 << 20, NOP_INTERVAL, Duration.ofMillis(600)));
        target.addVolume("disk", 4 << 20, null);
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private TestInitiator login() throws Exception {
        TestInitiator i = TestInitiator.connect(target.port());
        assertThat(i.login(target.target("disk")).status()).isZero();
        return i;
    }

    private MemoryLogicalUnit unit() {
        return target.units.get("disk");
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aNopOutIsAnsweredWithItsTagAndData() throws Exception {
        try (TestInitiator i = login()) {
            int statSN = i.expStatSN;
            NopIn pong = i.nop(new byte[] {1, 2, 3, 4, 5});
            assertThat(pong.ttt()).isEqualTo(Bhs.NO_TAG);
            assertThat(pong.itt()).isEqualTo(i.itt - 1);
            assertThat(pong.data()).containsExactly(1, 2, 3, 4, 5);
            assertThat(pong.statSN()).isEqualTo(statSN);
        }
    }

    @Test
    void theTargetPingsAnIdleInitiatorAndDropsOneThatStopsAnswering() throws Exception {
        try (TestInitiator i = login()) {
            assertThat(i.read10(0, 1, 512).status()).isZero(); // the logical unit now knows the nexus
            NopIn ping = i.receive(NopIn.class);
            assertThat(ping.itt()).isEqualTo(Bhs.NO_TAG);
            assertThat(ping.ttt()).isNotEqualTo(Bhs.NO_TAG);
            assertThat(ping.statSN()).as("a ping does not advance StatSN").isEqualTo(i.expStatSN);
            i.answerPing(ping);
            NopIn second = i.receive(NopIn.class);
            assertThat(second.ttt()).isNotEqualTo(ping.ttt());
            long silentSince = System.nanoTime();
            assertThat(i.closedByTarget()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - silentSince)).isLessThan(NOP_INTERVAL.multipliedBy(4));
            await(() -> unit().lostNexuses.size() == 1);
            ItNexus lost = unit().lostNexuses.get(0);
            assertThat(lost.initiatorName()).isEqualTo(i.initiatorName);
            assertThat(lost.targetName()).isEqualTo(target.target("disk"));
            assertThat(lost.isid()).isEqualTo(i.isid);
        }
    }

    @Test
    void aConnectionThatDoesNotLogInInTimeIsClosed() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.closedByTarget()).isTrue();
        }
    }

    @Test
    void aNonLoginPduDuringLoginIsRefused() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            i.send(new NopOut(false, 0, 1, Bhs.NO_TAG, 1, 0, new byte[0]));
            assertThat(i.receive(LoginResponse.class).status()).isEqualTo(0x020b);
            assertThat(i.closedByTarget()).isTrue();
        }
    }

    @Test
    void abortTaskWaitsForTheTaskAndSuppressesItsResponse() throws Exception {
        try (TestInitiator i = login()) {
            assertThat(i.read10(0, 1, 512).status()).isZero();
            MemoryLogicalUnit lu = unit();
            CountDownLatch gate = new CountDownLatch(1);
            lu.arrived = new CountDownLatch(1);
            lu.gate = gate;
            int task = i.itt++;
            int cmdSN = i.cmdSN++;
            i.send(new ScsiCommandRequest(
                    false,
                    true,
                    true,
                    false,
                    1,
                    0,
                    task,
                    512,
                    cmdSN,
                    i.expStatSN,
                    TestInitiator.cdb10(0x28, 0, 1),
                    -1,
                    ByteBuffer.allocate(0)));
            assertThat(lu.arrived.await(5, TimeUnit.SECONDS)).isTrue();
            int tmf = i.itt++;
            i.send(new TaskManagementRequest(
                    true, TaskManagementRequest.ABORT_TASK, 0, tmf, task, i.cmdSN, i.expStatSN, cmdSN, 0));
            i.socket.setSoTimeout(150);
            assertThat(i.closedByTarget())
                    .as("nothing arrives while the task still runs")
                    .isFalse();
            i.socket.setSoTimeout(5000);
            lu.gate = null;
            gate.countDown();
            TaskManagementResponse r = i.receive(TaskManagementResponse.class);
            assertThat(r.itt()).isEqualTo(tmf);
            assertThat(r.response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
            assertThat(i.received).noneMatch(p -> p instanceof dev.sgw.iscsi.pdu.DataIn d && d.itt() == task);
            assertThat(i.nop(new byte[0]).expCmdSN()).isEqualTo(i.cmdSN);
            assertThat(i.maxCmdSN - i.expCmdSN + 1)
                    .as("the aborted task freed its window slot")
                    .isEqualTo(128);
            assertThat(i.taskManagement(TaskManagementRequest.ABORT_TASK, task, cmdSN)
                            .response())
                    .isEqualTo(TaskManagementResponse.TASK_DOES_NOT_EXIST);
        }
    }

    @Test
    void resetsReachTheLogicalUnitAndUnsupportedFunctionsAreAnswered() throws Exception {
        try (TestInitiator i = login()) {
            assertThat(i.read10(0, 1, 512).status()).isZero();
            assertThat(i.taskManagement(TaskManagementRequest.LOGICAL_UNIT_RESET, Bhs.NO_TAG, 0)
                            .response())
                    .isZero();
            assertThat(i.taskManagement(TaskManagementRequest.TARGET_WARM_RESET, Bhs.NO_TAG, 0)
                            .response())
                    .isZero();
            assertThat(unit().resets.get()).isEqualTo(2);
            assertThat(i.taskManagement(TaskManagementRequest.ABORT_TASK_SET, Bhs.NO_TAG, 0)
                            .response())
                    .isZero();
            assertThat(i.taskManagement(TaskManagementRequest.CLEAR_TASK_SET, Bhs.NO_TAG, 0)
                            .response())
                    .isZero();
            assertThat(i.taskManagement(TaskManagementRequest.CLEAR_ACA, Bhs.NO_TAG, 0)
                            .response())
                    .isEqualTo(TaskManagementResponse.FUNCTION_NOT_SUPPORTED);
            assertThat(i.taskManagement(TaskManagementRequest.TASK_REASSIGN, 3, 0)
                            .response())
                    .isEqualTo(TaskManagementResponse.REASSIGNMENT_NOT_SUPPORTED);
            assertThat(i.taskManagement(20, Bhs.NO_TAG, 0).response())
                    .isEqualTo(TaskManagementResponse.FUNCTION_REJECTED);
            i.send(new TaskManagementRequest(
                    true,
                    TaskManagementRequest.LOGICAL_UNIT_RESET,
                    0x0001000000000000L,
                    i.itt++,
                    Bhs.NO_TAG,
                    i.cmdSN,
                    i.expStatSN,
                    0,
                    0));
            assertThat(i.receive(TaskManagementResponse.class).response())
                    .isEqualTo(TaskManagementResponse.LUN_DOES_NOT_EXIST);
            assertThat(i.read10(0, 1, 512).status()).as("the session goes on").isZero();
        }
    }

    @Test
    void aColdResetClosesEverySessionOfTheTarget() throws Exception {
        try (TestInitiator a = login();
                TestInitiator b = TestInitiator.connect(target.port())) {
            b.isid = a.isid + 1;
            assertThat(b.login(target.target("disk")).status()).isZero();
            assertThat(a.taskManagement(TaskManagementRequest.TARGET_COLD_RESET, Bhs.NO_TAG, 0)
                            .response())
                    .isZero();
            assertThat(a.closedByTarget()).isTrue();
            assertThat(b.closedByTarget()).isTrue();
            assertThat(unit().resets.get()).isEqualTo(1);
        }
    }

    @Test
    void logoutClosesTheSessionAndTheLogicalUnitLosesTheNexus() throws Exception {
        try (TestInitiator i = login()) {
            assertThat(i.read10(0, 1, 512).status()).isZero();
            i.send(new LogoutRequest(true, LogoutRequest.CLOSE_CONNECTION, i.itt++, 7, i.cmdSN, i.expStatSN));
            assertThat(i.receive(LogoutResponse.class).response()).isEqualTo(LogoutResponse.CID_NOT_FOUND);
            i.send(new LogoutRequest(
                    true, LogoutRequest.REMOVE_CONNECTION_FOR_RECOVERY, i.itt++, 1, i.cmdSN, i.expStatSN));
            assertThat(i.receive(LogoutResponse.class).response()).isEqualTo(LogoutResponse.RECOVERY_NOT_SUPPORTED);
            LogoutResponse bye = i.logout();
            assertThat(bye.response()).isEqualTo(LogoutResponse.CLOSED);
            assertThat(i.closedByTarget()).isTrue();
            await(() -> unit().lostNexuses.size() == 1);
            assertThat(target.server.sessions()).isEmpty();
        }
    }

    @Test
    void aDroppedConnectionLosesItsNexusOnceItsCommandsReturn() throws Exception {
        TestInitiator i = login();
        assertThat(i.read10(0, 1, 512).status()).isZero();
        MemoryLogicalUnit lu = unit();
        CountDownLatch gate = new CountDownLatch(1);
        lu.arrived = new CountDownLatch(1);
        lu.gate = gate;
        i.send(new ScsiCommandRequest(
                false,
                true,
                true,
                false,
                1,
                0,
                i.itt++,
                512,
                i.cmdSN++,
                i.expStatSN,
                TestInitiator.cdb10(0x28, 0, 1),
                -1,
                ByteBuffer.allocate(0)));
        assertThat(lu.arrived.await(5, TimeUnit.SECONDS)).isTrue();
        i.close();
        Thread.sleep(200);
        assertThat(lu.lostNexuses)
                .as("not while a command of the nexus still runs")
                .isEmpty();
        lu.gate = null;
        gate.countDown();
        await(() -> lu.lostNexuses.size() == 1);
        await(() -> target.server.sessions().isEmpty());
    }

    @Test
    void deletingDisablingOrReKeyingAVolumeEndsItsSessions() throws Exception {
        try (TestInitiator i = login()) {
            target.setEnabled("disk", false);
            IscsiPdu p = i.receive();
            assertThat(p)
                    .isInstanceOfSatisfying(
                            AsyncMessage.class,
                            m -> assertThat(m.event()).isEqualTo(AsyncMessage.DROPPING_ALL_CONNECTIONS));
            assertThat(i.closedByTarget()).isTrue();
        }
        target.setEnabled("disk", true);
        try (TestInitiator i = login()) {
            IscsiVolume v = target.management.iscsiVolume("disk");
            target.management.updateIscsiVolume(new IscsiVolume(
                    v.id(),
                    v.name(),
                    v.recover(),
                    v.capacityBytes(),
                    v.blockSize(),
                    v.chunkSize(),
                    v.resource(),
                    true,
                    v.mode(),
                    v.cacheDisk(),
                    ChapCredentials.of("alice", "alice-secret1"),
                    v.allowMultipleInitiators()));
            assertThat(i.receive()).isInstanceOf(AsyncMessage.class);
            assertThat(i.closedByTarget()).isTrue();
        }
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.loginChap(target.target("disk"), "alice", "alice-secret1", null, null)
                            .status())
                    .isZero();
            target.management.deleteIscsiVolume("disk");
            assertThat(i.receive()).isInstanceOf(AsyncMessage.class);
            assertThat(i.closedByTarget()).isTrue();
        }
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.login(target.target("disk")).status()).isEqualTo(0x0203);
        }
    }
}
