package dev.sgw.nfs.v4;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.sharing.FileOpen;
import dev.sgw.core.sharing.FileProtocol;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.Lease;
import dev.sgw.core.sharing.LeaseState;
import dev.sgw.core.sharing.LockMode;
import dev.sgw.core.sharing.LockStyle;
import dev.sgw.core.sharing.RangeLock;
import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.v4.Nfs4TestClient.Result;
import org.junit.jupiter.api.Test;

import static dev.sgw.nfs.v4.Nfs4TestClient.sequenceOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * NFSv4.1 clients and an SMB client on one volume meet in its {@link FileSharing}: the SMB side here is the
 * sharing state itself, as the SMB server will use it.
 */
class Nfs4CrossProtocolTest extends Nfs4TestBase {
    private final StateOwner smb = StateOwner.of(FileProtocol.SMB, 77, 1);

    private FileSharing sharing() {
        return exports.exports.getFirst().sharing();
    }

    private long inodeOf(String name) throws Exception {
        return share.volume.lookup(share.volume.root(), name).inode();
    }

    /** Opens (creating) {@code name} for reading and writing as {@code owner}; the open's stateid. */
    private Stateid openBoth(byte[] root, String owner, String name) throws Exception {
        Result open = client.compound(
                client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 3, owner, OpenOps.UNCHECKED4, 0, name)));
        sequenceOk(open);
        open.ok(Op.PUTFH);
        return Stateid.read(open.ok(Op.OPEN));
    }

    @Test
    void anSmbOpenDenyingWriteRefusesAnNfsWriterAndAnNfsOpenRefusesAnSmbOpenItDenies() throws Exception {
        byte[] root = demoRoot();
        Stateid created = openBoth(root, "creator", "shared");
        Result close =
                client.compound(client.seq(0).putFh(root).lookup("shared").op(Op.CLOSE, e -> {
                    e.writeInt(0);
                    created.write(e);
                }));
        assertThat(close.status).isZero();
        long inode = inodeOf("shared");

        FileOpen smbOpen = sharing().open(inode, smb, ShareAccess.READ, ShareAccess.WRITE | ShareAccess.DELETE);
        Result writer =
                client.compound(client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 2, "writer", -1, 0, "shared")));
        assertThat(writer.status()).isEqualTo(Nfs4Status.NFS4ERR_SHARE_DENIED);
        Result reader =
                client.compound(client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 1, "reader", -1, 0, "shared")));
        assertThat(reader.status).as("reading is shared").isZero();

        sharing().close(smbOpen);
        Result writerAgain =
                client.compound(client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 2, "writer", -1, 0, "shared")));
        assertThat(writerAgain.status).as("the SMB open is gone").isZero();
        assertThatThrownBy(() -> sharing().open(inode, smb, ShareAccess.READ, ShareAccess.WRITE))
                .as("the SMB client may not deny what an NFS client has")
                .isInstanceOf(VolumeException.class)
                .extracting(e -> ((VolumeException) e).error())
                .isEqualTo(VolumeError.SHARING_VIOLATION);
    }

    @Test
    void anSmbLockStopsNfsIoOnItsBytesAndAnNfsLockStopsSmbWrites() throws Exception {
        byte[] root = demoRoot();
        Stateid open = openBoth(root, "rw", "locked");
        long inode = inodeOf("locked");
        assertThat(sharing()
                        .lock(inode, RangeLock.of(smb, 0, 10, LockMode.EXCLUSIVE, LockStyle.WINDOWS), Duration.ZERO))
                .isEmpty();

        Result inside =
                client.compound(client.seq(0).putFh(root).lookup("locked").op(Op.WRITE, e -> {
                    open.write(e);
                    e.writeHyper(5).writeInt(OpenOps.UNSTABLE4).writeOpaque(new byte[] {1}, 16);
                }));
        assertThat(inside.status()).isEqualTo(Nfs4Status.NFS4ERR_LOCKED);
        Result outside =
                client.compound(client.seq(0).putFh(root).lookup("locked").op(Op.WRITE, e -> {
                    open.write(e);
                    e.writeHyper(100).writeInt(OpenOps.UNSTABLE4).writeOpaque(new byte[] {1}, 16);
                }));
        assertThat(outside.status).isZero();

        Result denied = client.compound(client.seq(0)
                .putFh(root)
                .lookup("locked")
                .op(Op.LOCK, e -> lockNew(e, LockOps.READ_LT, 5, 1, open, "nfs-locker")));
        assertThat(denied.status()).isEqualTo(Nfs4Status.NFS4ERR_DENIED);

        Result granted = client.compound(client.seq(0)
                .putFh(root)
                .lookup("locked")
                .op(Op.LOCK, e -> lockNew(e, LockOps.WRITE_LT, 100, 100, open, "nfs-locker")));
        assertThat(granted.status).isZero();
        assertThatThrownBy(() -> sharing().checkIo(inode, smb, LockStyle.WINDOWS, 150, 1, false))
                .isInstanceOf(VolumeException.class)
                .extracting(e -> ((VolumeException) e).error())
                .isEqualTo(VolumeError.LOCKED);
        sharing().checkIo(inode, smb, LockStyle.WINDOWS, 200, 1, true);
    }

    @Test
    void anExpiredClientLeavesNothingInTheSharingState() throws Exception {
        byte[] root = demoRoot();
        Stateid open = openBoth(root, "rw", "gone");
        Result lock = client.compound(client.seq(0)
                .putFh(root)
                .lookup("gone")
                .op(Op.LOCK, e -> lockNew(e, LockOps.WRITE_LT, 0, 10, open, "locker")));
        assertThat(lock.status).isZero();
        long inode = inodeOf("gone");
        assertThat(sharing().opens(inode)).hasSize(1);

        clock.addAndGet(Duration.ofSeconds(91).toNanos()); // the lease runs out
        try (Nfs4TestClient other = new Nfs4TestClient(bound)) {
            other.createSession("client-two", 2); // sweeps expired clients
        }

        assertThat(sharing().opens(inode)).isEmpty();
        assertThat(sharing().lockCount(inode)).isZero();
        sharing().open(inode, smb, ShareAccess.ALL, ShareAccess.ALL);
    }

    @Test
    void anNfsOpenForWriteBreaksAnSmbLeaseAndNoWriteCachingIsGrantedBeforeTheOpenIsMade() throws Exception {
        byte[] root = demoRoot();
        Stateid created = openBoth(root, "creator", "leased");
        Result close =
                client.compound(client.seq(0).putFh(root).lookup("leased").op(Op.CLOSE, e -> {
                    e.writeInt(0);
                    created.write(e);
                }));
        assertThat(close.status).isZero();
        long inode = inodeOf("leased");
        int rwh = LeaseState.READ | LeaseState.WRITE | LeaseState.HANDLE;
        int rh = LeaseState.READ | LeaseState.HANDLE;
        ByteBuffer smbKey = ByteBuffer.allocate(16).putInt(0, 0x5B);
        sharing().open(inode, smb, smbKey, ShareAccess.READ, ShareAccess.NONE);
        // what the holder saw at each break: "from>to" (states as numbers) and whether an NFS open of the file was
        // there yet
        List<String> told = new CopyOnWriteArrayList<>();
        AtomicInteger breaks = new AtomicInteger();
        Lease lease = sharing().requestLease(inode, smb, smbKey, rwh, (l, from, to, ack) -> {
            boolean nfsOpen =
                    sharing().opens(inode).stream().anyMatch(o -> o.owner().protocol() == FileProtocol.NFS);
            told.add(from + ">" + to + (nfsOpen ? " after" : " before"));
            if (breaks.getAndIncrement() == 0) {
                try {
                    // the holder lets go and at once asks for write caching again: granted, nothing of the
                    // opener is on the file yet to refuse it; the open must break it again
                    sharing().acknowledge(l, to);
                } catch (VolumeException e) {
                    throw new IllegalStateException(e);
                }
                Lease again = sharing().requestLease(inode, smb, smbKey, rwh, (x, f, t, a) -> {});
                told.add("asked again: " + again.state());
            }
        });
        assertThat(lease.state()).isEqualTo(rwh);

        CompletableFuture<Result> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return client.compound(
                        client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 2, "writer", -1, 0, "leased")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (told.size() < 3 && System.nanoTime() < deadline && !writer.isDone()) {
            Thread.sleep(5);
        }
        assertThat(told)
                .as("broken, taken again, and broken again before the NFS open was made")
                .containsExactly(rwh + ">" + rh + " before", "asked again: " + rwh, rwh + ">" + rh + " before");
        Thread.sleep(50);
        assertThat(writer).as("the OPEN waits for the second acknowledgment").isNotDone();

        sharing().acknowledge(lease, rh);

        Result opened = writer.get(10, TimeUnit.SECONDS);
        assertThat(opened.status).isZero();
        assertThat(lease.state()).as("no write caching beside the NFS writer").isEqualTo(rh);
        assertThat(sharing()
                        .requestLease(inode, smb, smbKey, rwh, (x, f, t, a) -> {})
                        .state())
                .as("nor asked for afterwards")
                .isEqualTo(rh);
        assertThat(sharing().opens(inode)).anyMatch(o -> o.owner().protocol() == FileProtocol.NFS);
    }
}
