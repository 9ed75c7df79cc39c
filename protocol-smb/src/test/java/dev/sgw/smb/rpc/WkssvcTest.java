package dev.sgw.smb.rpc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** wkssvc NetrWkstaGetInfo at levels 100, 101 and 102 (MS-WKST 2.2.5.1 to 2.2.5.3), and an unknown level. */
class WkssvcTest {
    private final TestRpcClient client = RpcFixtures.bound(RpcFixtures.pipes(RpcFixtures.SHARES), "wkssvc");

    @ParameterizedTest
    @ValueSource(ints = {100, 101, 102})
    void wkstaGetInfoNamesTheServerAndWorkgroup(int level) {
        TestNdr.In in = new TestNdr.In(TestRpcClient.stub(
                client.call(Wkssvc.OP_WKSTA_GET_INFO, TestNdr.getInfoRequest("\\\\SGWTEST", level))));
        assertThat(in.u32()).isEqualTo(level);
        assertThat(in.ptr()).isTrue();
        assertThat(in.u32()).as("platform").isEqualTo(500);
        assertThat(in.ptr()).isTrue();
        assertThat(in.ptr()).isTrue();
        assertThat(in.u32()).as("major").isEqualTo(10);
        assertThat(in.u32()).as("minor").isZero();
        if (level >= 101) {
            assertThat(in.ptr()).isTrue();
        }
        if (level == 102) {
            assertThat(in.u32()).as("logged on users").isZero();
        }
        assertThat(in.string()).isEqualTo("SGWTEST");
        assertThat(in.string()).isEqualTo("WORKGROUP");
        if (level >= 101) {
            assertThat(in.string()).isEmpty();
        }
        assertThat(in.u32()).isZero();
        assertThat(in.remaining()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 502, 1013})
    void otherLevelsAreInvalid(int level) {
        TestNdr.In in = new TestNdr.In(
                TestRpcClient.stub(client.call(Wkssvc.OP_WKSTA_GET_INFO, TestNdr.getInfoRequest(null, level))));
        assertThat(in.u32()).isEqualTo(level);
        assertThat(in.ptr()).isFalse();
        assertThat(in.u32()).isEqualTo(RpcInterface.ERROR_INVALID_LEVEL);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 65535})
    void otherOpnumsFault(int opnum) {
        assertThat(TestRpcClient.faultStatus(
                        client.call(opnum, TestNdr.getInfoRequest(null, 100)).getFirst()))
                .isEqualTo(RpcFault.OP_RANGE_ERROR);
    }
}
