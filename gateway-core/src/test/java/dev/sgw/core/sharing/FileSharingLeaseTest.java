package dev.sgw.core.sharing;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Leases: what is granted beside other opens, and which change breaks what, with and without acknowledgment. */
class FileSharingLeaseTest {
    private static final long FILE = 5;
    private static final int RWH = LeaseState.READ | LeaseState.WRITE | LeaseState.HANDLE;
    private static final int RH = LeaseState.READ | LeaseState.HANDLE;

    private final FileSharing sharing = new FileSharing();
    private final StateOwner smbA = StateOwner.of(FileProtocol.SMB, 1, 1);
    private final StateOwner smbB = StateOwner.of(FileProtocol.SMB, 2, 1);
    private final ByteBuffer keyA = key(0xA);
    private final ByteBuffer keyB = key(0xB);
    /** What each holder was told: "from>to ack". */
    private final List<String> told = new CopyOnWriteArrayList<>();

    private static ByteBuffer key(int n) {
        return ByteBuffer.allocate(16).putInt(0, n);
    }

    private LeaseBreaker recorder(String who) {
        return (lease, from, to, ack) ->
                told.add(who + " " + LeaseState.describe(from) + ">" + LeaseState.describe(to) + (ack ? " ack" : ""));
    }

    private Lease openWithLease(StateOwner owner, ByteBuffer key, int access, int wanted, String who) throws Exception {
        sharing.breakLeases(FILE, SharingChange.OPEN, key, Duration.ofSeconds(5));
        sharing.open(FILE, owner, key, access, ShareAccess.NONE);
        return sharing.requestLease(FILE, owner, key, wanted, recorder(who));
    }

    @Test
    void aLoneOpenerGetsEverythingAndItsOwnOpensNeverBreakIt() throws Exception {
        Lease a = openWithLease(smbA, keyA, ShareAccess.READ | ShareAccess.WRITE, RWH, "a");
        assertThat(a.state()).isEqualTo(RWH);

        Lease again = openWithLease(smbA, keyA, ShareAccess.READ, RWH, "a");

        assertThat(again).isSameAs(a);
        assertThat(told).isEmpty();
        assertThat(sharing.leases(FILE)).containsExactly(a);
    }

    @Test
    void anotherKeysOpenBreaksWriteCachingAndWaitsForTheAcknowledgment() throws Exception {
        Lease a = openWithLease(smbA, keyA, ShareAccess.READ, RWH, "a");

        CompletableFuture<Lease> b = CompletableFuture.supplyAsync(() -> {
            try {
                return openWithLease(smbB, keyB, ShareAccess.READ, RWH, "b");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (told.isEmpty()) {
            Thread.sleep(5);
        }
        assertThat(told).containsExactly("a RWH>RH ack");
        assertThat(a.isBreaking()).isTrue();
        Thread.sleep(50);
        assertThat(b).as("the opener waits for the holder").isNotDone();

        sharing.acknowledge(a, RH);

        Lease granted = b.get(10, TimeUnit.SECONDS);
        assertThat(a.state()).isEqualTo(RH);
        assertThat(granted.state())
                .as("no write caching beside another key's open")
                .isEqualTo(RH);
        assertThat(a.epoch()).isEqualTo(2);
    }

    @Test
    void anOpenWaitsForABreakAwayFromWriteCachingThatAnotherChangeStarted() throws Exception {
        Lease a = openWithLease(smbA, keyA, ShareAccess.READ, RWH, "a");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<Void> write = CompletableFuture.runAsync(
                () -> {
                    try {
                        sharing.breakLeases(FILE, SharingChange.WRITE, null, Duration.ofSeconds(10));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                threads);
        while (told.isEmpty()) {
            Thread.sleep(5);
        }

        // the open's own break has nothing left to lower, yet the holder has not written back what it cached
        CompletableFuture<FileOpen> b = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return sharing.openBreakingLeases(
                                FILE, smbB, keyB, ShareAccess.READ, ShareAccess.NONE, Duration.ofSeconds(10));
                    } catch (VolumeException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                threads);
        Thread.sleep(100);
        assertThat(b).as("the opener waits for the running break").isNotDone();

        sharing.acknowledge(a, LeaseState.NONE);

        assertThat(b.get(10, TimeUnit.SECONDS).isOpen()).isTrue();
        write.get(10, TimeUnit.SECONDS);
        threads.shutdown();
        assertThat(told).containsExactly("a RWH>none ack");
    }

    @Test
    void anOpenBreaksAgainWhenTheHolderTookWriteCachingBackBeforeItWasMade() throws Exception {
        sharing.open(FILE, smbA, keyA, ShareAccess.READ, ShareAccess.NONE);
        AtomicInteger breaks = new AtomicInteger();
        Lease a = sharing.requestLease(FILE, smbA, keyA, RWH, (lease, from, to, ack) -> {
            told.add(LeaseState.describe(from) + ">" + LeaseState.describe(to));
            try {
                sharing.acknowledge(lease, to);
            } catch (VolumeException e) {
                throw new IllegalStateException(e);
            }
            if (breaks.getAndIncrement() == 0) {
                // the holder asks for everything again before the opener's open is there to refuse it
                sharing.requestLease(FILE, smbA, keyA, RWH, recorder("a"));
            }
        });

        FileOpen b =
                sharing.openBreakingLeases(FILE, smbB, keyB, ShareAccess.READ, ShareAccess.NONE, Duration.ofSeconds(5));

        assertThat(told).containsExactly("RWH>RH", "RWH>RH");
        assertThat(a.state()).as("no write caching beside another key's open").isEqualTo(RH);
        assertThat(sharing.opens(FILE)).contains(b);
    }

    @Test
    void anUnacknowledgedBreakEndsAfterItsTimeoutWithTheLeaseLowered() throws Exception {
        Lease a = openWithLease(smbA, keyA, ShareAccess.READ | ShareAccess.WRITE, RWH, "a");

        long start = System.nanoTime();
        sharing.breakLeases(FILE, SharingChange.OPEN, keyB, Duration.ofMillis(100));

        assertThat(System.nanoTime() - start)
                .isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(a.state()).isEqualTo(RH);
        assertThat(a.isBreaking()).isFalse();
        assertThatThrownBy(() -> sharing.acknowledge(a, LeaseState.READ))
                .as("no break runs any more")
                .isInstanceOf(VolumeException.class)
                .extracting(e -> ((VolumeException) e).error())
                .isEqualTo(VolumeError.INVAL);
    }

    @Test
    void aWriteOfAnotherOwnerBreaksReadCachingAtOnceWithoutAcknowledgment() throws Exception {
        sharing.open(FILE, smbA, keyA, ShareAccess.READ, ShareAccess.NONE);
        Lease a = sharing.requestLease(FILE, smbA, keyA, LeaseState.READ, recorder("a"));
        sharing.open(FILE, smbB, keyB, ShareAccess.READ, ShareAccess.NONE);
        Lease b = sharing.requestLease(FILE, smbB, keyB, LeaseState.READ, recorder("b"));
        assertThat(b.state()).isEqualTo(LeaseState.READ);

        sharing.breakLeases(FILE, SharingChange.WRITE, null, Duration.ofSeconds(30));

        assertThat(told).containsExactlyInAnyOrder("a R>none", "b R>none");
        assertThat(a.state()).isEqualTo(LeaseState.NONE);
        assertThat(sharing.leases(FILE)).isEmpty();
    }

    @Test
    void aRenameOrRemoveBreaksHandleCachingAndTheBucketBreaksEverything() throws Exception {
        Lease a = openWithLease(smbA, keyA, ShareAccess.READ, RH, "a");

        CompletableFuture<Void> rename = CompletableFuture.runAsync(() -> {
            try {
                sharing.breakLeases(FILE, SharingChange.RENAME_OR_REMOVE, null, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (!a.isBreaking()) {
            Thread.sleep(5);
        }
        sharing.acknowledge(a, LeaseState.READ);
        rename.get(10, TimeUnit.SECONDS);
        assertThat(told).containsExactly("a RH>R ack");

        sharing.breakLeases(FILE, SharingChange.BUCKET, null, Duration.ofSeconds(30));
        assertThat(told).containsExactly("a RH>R ack", "a R>none");
        assertThat(a.state()).isEqualTo(LeaseState.NONE);
    }

    @Test
    void besideAWriterOfAnotherKeyALeaseGetsReadAndHandleCachingAndAWriteBreaksIt() throws Exception {
        sharing.open(FILE, smbA, keyA, ShareAccess.WRITE, ShareAccess.NONE);
        Lease b = sharing.requestLease(FILE, smbB, keyB, RWH, recorder("b"));
        assertThat(b.state()).isEqualTo(RH);

        sharing.breakLeases(FILE, SharingChange.WRITE, keyA, Duration.ofMillis(50)); // b never acknowledges

        assertThat(told).containsExactly("b RH>none ack"); // handle caching alone is no lease state
        assertThat(b.state()).isEqualTo(LeaseState.NONE);
    }

    @Test
    void aClientThatGoesTakesItsLeasesAlong() throws Exception {
        openWithLease(smbA, keyA, ShareAccess.READ, RWH, "a");

        sharing.release(FileProtocol.SMB, 1);

        assertThat(sharing.leases(FILE)).isEmpty();
        assertThat(sharing.fileCount()).isZero();
    }
}
