package dev.sgw.smb.rpc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** srvsvc over a bound pipe: every level of NetShareEnumAll and NetShareGetInfo, paging, errors and faults. */
class SrvsvcTest {
    private static final int MAX_PREFERRED_LENGTH = -1;

    private final TestRpcClient client = RpcFixtures.bound(RpcFixtures.pipes(RpcFixtures.SHARES), "srvsvc");

    /** One decoded SHARE_INFO entry; fields a level lacks are null. */
    record Entry(String name, Integer type, String comment, String path) {}

    /** A decoded NetrShareEnum response. */
    record EnumResult(int level, List<Entry> entries, int total, Integer resume, int status) {}

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 501, 502})
    void shareEnumAllReturnsEveryShareAtEachLevel(int level) {
        EnumResult r = shareEnum(level, MAX_PREFERRED_LENGTH, 0);

        assertThat(r.status()).isZero();
        assertThat(r.level()).isEqualTo(level);
        assertThat(r.total()).isEqualTo(3);
        assertThat(r.resume()).isZero();
        List<Entry> expected = new ArrayList<>();
        for (ShareInfo s : RpcFixtures.SHARES) {
            expected.add(new Entry(
                    s.name(),
                    level == 0 ? null : s.type(),
                    level == 0 ? null : s.comment(),
                    level == 2 || level == 502 ? s.path() : null));
        }
        assertThat(r.entries()).containsExactlyElementsOf(expected);
    }

    @Test
    void shareEnumOfNoSharesIsAnEmptyContainer() {
        TestRpcClient empty = RpcFixtures.bound(RpcFixtures.pipes(List.of()), "srvsvc");
        EnumResult r = decodeEnum(TestRpcClient.stub(
                empty.call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 1, MAX_PREFERRED_LENGTH, 0))));
        assertThat(r.entries()).isEmpty();
        assertThat(r.total()).isZero();
        assertThat(r.resume()).isZero();
        assertThat(r.status()).isZero();
    }

    @Test
    void shareEnumFromAResumeHandlePastTheEndIsEmpty() {
        EnumResult r = shareEnum(0, MAX_PREFERRED_LENGTH, 99);
        assertThat(r.entries()).isEmpty();
        assertThat(r.total()).isEqualTo(3);
        assertThat(r.resume()).isZero();
        assertThat(r.status()).isZero();
    }

    @Test
    void shareEnumWithoutResumeHandleReturnsNone() {
        byte[] stub = TestRpcClient.stub(
                client.call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 1, MAX_PREFERRED_LENGTH, null)));
        EnumResult r = decodeEnum(stub);
        assertThat(r.entries()).hasSize(3);
        assertThat(r.resume()).isNull();
    }

    @Test
    void shareEnumPagesByPreferredMaximumLengthAndResumes() {
        TestRpcClient many = RpcFixtures.bound(RpcFixtures.pipes(RpcFixtures.manyShares(20)), "srvsvc");
        List<String> names = new ArrayList<>();
        int resume = 0;
        int calls = 0;
        EnumResult r;
        do {
            r = decodeEnum(TestRpcClient.stub(
                    many.call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 1, 200, resume))));
            assertThat(r.total()).isEqualTo(20);
            assertThat(r.entries()).isNotEmpty();
            r.entries().forEach(e -> names.add(e.name()));
            resume = r.resume();
            calls++;
            assertThat(r.status()).isEqualTo(resume == 0 ? 0 : RpcInterface.ERROR_MORE_DATA);
        } while (resume != 0 && calls < 50);

        assertThat(calls).isGreaterThan(2);
        assertThat(names)
                .containsExactlyElementsOf(
                        RpcFixtures.manyShares(20).stream().map(ShareInfo::name).toList());
    }

    @Test
    void aPreferredLengthTooSmallForOneEntryStillReturnsOne() {
        EnumResult r = shareEnum(1, 1, 0);
        assertThat(r.entries()).extracting(Entry::name).containsExactly("demo");
        assertThat(r.resume()).isEqualTo(1);
        assertThat(r.status()).isEqualTo(RpcInterface.ERROR_MORE_DATA);
    }

    @Test
    void shareEnumLevel503IsAnInvalidLevelAndLevel7AnInvalidTag() {
        byte[] stub = TestRpcClient.stub(
                client.call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 503, MAX_PREFERRED_LENGTH, 0)));
        TestNdr.In in = new TestNdr.In(stub);
        assertThat(in.u32()).isEqualTo(503);
        assertThat(in.u32()).isEqualTo(503);
        assertThat(in.ptr()).as("container").isFalse();
        assertThat(in.u32()).as("total").isZero();
        assertThat(in.ptr()).isTrue();
        assertThat(in.u32()).as("resume").isZero();
        assertThat(in.u32()).isEqualTo(RpcInterface.ERROR_INVALID_LEVEL);
        assertThat(in.remaining()).isZero();

        TestRpcClient.Pdu fault = client.call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 7, -1, 0))
                .getFirst();
        assertThat(TestRpcClient.faultStatus(fault)).isEqualTo(RpcFault.INVALID_TAG);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 501, 502})
    void shareGetInfoFindsTheShareInAnyCase(int level) {
        TestNdr.In in = new TestNdr.In(TestRpcClient.stub(client.call(
                Srvsvc.OP_SHARE_GET_INFO, TestNdr.shareGetInfoRequest("\\\\SGW", "PHOTOS ÜNÏCODE", level))));
        assertThat(in.u32()).isEqualTo(level);
        assertThat(in.ptr()).isTrue();
        List<Entry> entries = decodeEntries(in, level, 1);
        assertThat(entries.getFirst().name()).isEqualTo("Photos Ünïcode");
        if (level != 0) {
            assertThat(entries.getFirst().type()).isEqualTo(ShareInfo.DISK);
        }
        assertThat(in.u32()).isZero();
        assertThat(in.remaining()).isZero();
    }

    @Test
    void aShareThatIsNotBrowseableIsLeftOutOfTheEnumerationButFoundByName() {
        List<ShareInfo> shares = List.of(
                new ShareInfo("shown", ShareInfo.DISK, "", "C:\\shown"),
                new ShareInfo("hidden", ShareInfo.DISK, "", "C:\\hidden", false),
                new ShareInfo("IPC$", ShareInfo.IPC, "IPC Service", ""));
        TestRpcClient c = RpcFixtures.bound(RpcFixtures.pipes(shares), "srvsvc");
        EnumResult r = decodeEnum(TestRpcClient.stub(
                c.call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 1, MAX_PREFERRED_LENGTH, 0))));
        assertThat(r.entries()).extracting(Entry::name).containsExactly("shown", "IPC$");
        assertThat(r.total()).as("TotalEntries counts what is listed").isEqualTo(2);

        TestNdr.In in = new TestNdr.In(
                TestRpcClient.stub(c.call(Srvsvc.OP_SHARE_GET_INFO, TestNdr.shareGetInfoRequest(null, "HIDDEN", 1))));
        assertThat(in.u32()).isEqualTo(1);
        assertThat(in.ptr()).isTrue();
        assertThat(decodeEntries(in, 1, 1).getFirst().name()).isEqualTo("hidden");
        assertThat(in.u32()).as("found").isZero();
    }

    @Test
    void shareGetInfoLevel1005IsTheFlags() {
        TestNdr.In in = new TestNdr.In(TestRpcClient.stub(
                client.call(Srvsvc.OP_SHARE_GET_INFO, TestNdr.shareGetInfoRequest(null, "IPC$", 1005))));
        assertThat(in.u32()).isEqualTo(1005);
        assertThat(in.ptr()).isTrue();
        assertThat(in.u32()).as("flags").isZero();
        assertThat(in.u32()).isZero();
        assertThat(in.remaining()).isZero();
    }

    @Test
    void shareGetInfoOfAnUnknownShareIsNetNameNotFound() {
        TestNdr.In in = new TestNdr.In(TestRpcClient.stub(
                client.call(Srvsvc.OP_SHARE_GET_INFO, TestNdr.shareGetInfoRequest(null, "nosuch", 2))));
        assertThat(in.u32()).isEqualTo(2);
        assertThat(in.ptr()).isFalse();
        assertThat(in.u32()).isEqualTo(2310);
        assertThat(in.remaining()).isZero();
    }

    @Test
    void shareGetInfoAtAnUnsupportedLevelIsInvalidLevel() {
        TestNdr.In withArm = new TestNdr.In(TestRpcClient.stub(
                client.call(Srvsvc.OP_SHARE_GET_INFO, TestNdr.shareGetInfoRequest(null, "demo", 1004))));
        assertThat(withArm.u32()).isEqualTo(1004);
        assertThat(withArm.ptr()).isFalse();
        assertThat(withArm.u32()).isEqualTo(RpcInterface.ERROR_INVALID_LEVEL);

        TestNdr.In defaultArm = new TestNdr.In(TestRpcClient.stub(
                client.call(Srvsvc.OP_SHARE_GET_INFO, TestNdr.shareGetInfoRequest(null, "demo", 99))));
        assertThat(defaultArm.u32()).isEqualTo(99);
        assertThat(defaultArm.u32()).isEqualTo(RpcInterface.ERROR_INVALID_LEVEL);
        assertThat(defaultArm.remaining()).isZero();
    }

    @Test
    void serverGetInfo101() {
        TestNdr.In in = new TestNdr.In(
                TestRpcClient.stub(client.call(Srvsvc.OP_SERVER_GET_INFO, TestNdr.getInfoRequest("\\\\SGWTEST", 101))));
        assertThat(in.u32()).isEqualTo(101);
        assertThat(in.ptr()).isTrue();
        assertThat(in.u32()).isEqualTo(500);
        assertThat(in.ptr()).isTrue();
        assertThat(in.u32()).isEqualTo(10);
        assertThat(in.u32()).isZero();
        assertThat(in.u32()).as("type").isEqualTo(0x9003);
        assertThat(in.ptr()).isTrue();
        assertThat(in.string()).isEqualTo("SGWTEST");
        assertThat(in.string()).isEqualTo("sgw");
        assertThat(in.u32()).isZero();
        assertThat(in.remaining()).isZero();
    }

    @Test
    void serverGetInfoAtAnUnsupportedLevelIsInvalidLevel() {
        TestNdr.In in = new TestNdr.In(
                TestRpcClient.stub(client.call(Srvsvc.OP_SERVER_GET_INFO, TestNdr.getInfoRequest(null, 502))));
        assertThat(in.u32()).isEqualTo(502);
        assertThat(in.ptr()).isFalse();
        assertThat(in.u32()).isEqualTo(RpcInterface.ERROR_INVALID_LEVEL);
    }

    @Test
    void anUnknownOpnumIsAnOpRangeFault() {
        List<TestRpcClient.Pdu> answer = client.call(14, TestNdr.getInfoRequest(null, 1));
        assertThat(answer).hasSize(1);
        assertThat(TestRpcClient.faultStatus(answer.getFirst())).isEqualTo(0x1C010002);
        assertThat(answer.getFirst().flags() & 0x23).isEqualTo(0x23);
        assertThat(answer.getFirst().fragLength()).isEqualTo(32);
    }

    @Test
    void aStubThatDoesNotDecodeIsABadStubDataFault() {
        byte[] whole = TestNdr.shareGetInfoRequest("\\\\SGW", "demo", 1);
        for (int len = 0; len < whole.length; len++) {
            byte[] cut = Arrays.copyOf(whole, len);
            assertThat(TestRpcClient.faultStatus(
                            client.call(Srvsvc.OP_SHARE_GET_INFO, cut).getFirst()))
                    .as("stub cut at %d", len)
                    .isEqualTo(0x6F7);
        }
        byte[] actualAboveMax = new TestNdr.Out()
                .ptr(false)
                .u32(2)
                .u32(0)
                .u32(3)
                .u32(0)
                .u32(0)
                .u32(1)
                .bytes();
        assertThat(TestRpcClient.faultStatus(
                        client.call(Srvsvc.OP_SHARE_GET_INFO, actualAboveMax).getFirst()))
                .isEqualTo(0x6F7);
    }

    @Test
    void aShareListThatFailsIsAnUnspecifiedFaultAndNullFieldsAreEmptyStrings() {
        RpcPipes failing = new RpcPipes(RpcFixtures.SERVER, RpcFixtures.DOMAIN, () -> {
            throw new IllegalStateException("volume directory unavailable");
        });
        TestRpcClient.Pdu fault = RpcFixtures.bound(failing, "srvsvc")
                .call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 1, -1, 0))
                .getFirst();
        assertThat(TestRpcClient.faultStatus(fault)).isEqualTo(RpcFault.UNSPECIFIED);
        assertThat(fault.flags() & 0x20).as("PFC_DID_NOT_EXECUTE").isZero();

        RpcPipes bare = RpcFixtures.pipes(List.of(new ShareInfo("bare", ShareInfo.DISK, null, null)));
        EnumResult r = decodeEnum(TestRpcClient.stub(RpcFixtures.bound(bare, "srvsvc")
                .call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 502, -1, 0))));
        assertThat(r.entries()).containsExactly(new Entry("bare", ShareInfo.DISK, "", ""));
    }

    private EnumResult shareEnum(int level, int prefMaxLen, Integer resume) {
        return decodeEnum(TestRpcClient.stub(
                client.call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest("\\\\SGWTEST", level, prefMaxLen, resume))));
    }

    /** MS-SRVS 3.1.4.8 out parameters: SHARE_ENUM_STRUCT, TotalEntries, ResumeHandle, status. */
    static EnumResult decodeEnum(byte[] stub) {
        TestNdr.In in = new TestNdr.In(stub);
        int level = in.u32();
        assertThat(in.u32()).as("union discriminant").isEqualTo(level);
        assertThat(in.ptr()).as("container pointer").isTrue();
        int count = in.u32();
        List<Entry> entries = List.of();
        if (in.ptr()) {
            assertThat(in.u32()).as("conformance").isEqualTo(count);
            entries = decodeEntries(in, level, count);
        }
        int total = in.u32();
        Integer resume = in.ptr() ? in.u32() : null;
        int status = in.u32();
        assertThat(in.remaining()).isZero();
        return new EnumResult(level, entries, total, resume, status);
    }

    /** {@code count} SHARE_INFO entries: all fixed parts, then each entry's strings. */
    static List<Entry> decodeEntries(TestNdr.In in, int level, int count) {
        List<Integer> types = new ArrayList<>();
        List<int[]> present = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean name = in.ptr();
            boolean comment = false;
            boolean path = false;
            if (level != 0) {
                types.add(in.u32());
                comment = in.ptr();
            }
            if (level == 501) {
                assertThat(in.u32()).as("flags").isZero();
            }
            if (level == 2 || level == 502) {
                in.u32();
                assertThat(in.u32()).as("max uses").isEqualTo(-1);
                in.u32();
                path = in.ptr();
                assertThat(in.ptr()).as("password").isFalse();
            }
            if (level == 502) {
                assertThat(in.u32()).as("reserved").isZero();
                assertThat(in.ptr()).as("security descriptor").isFalse();
            }
            present.add(new int[] {name ? 1 : 0, comment ? 1 : 0, path ? 1 : 0});
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] p = present.get(i);
            String name = p[0] == 1 ? in.string() : null;
            String comment = p[1] == 1 ? in.string() : null;
            String path = p[2] == 1 ? in.string() : null;
            entries.add(new Entry(name, level == 0 ? null : types.get(i), comment, path));
        }
        return entries;
    }
}
