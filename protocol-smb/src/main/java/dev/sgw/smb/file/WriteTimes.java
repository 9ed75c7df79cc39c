package dev.sgw.smb.file;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.SetAttributes;

/**
 * The LastWriteTime SMB clients see, updated as Windows updates it (MS-FSA 2.1.4.17, Samba's delayed write
 * time): not at every write but 2 seconds after an open's first write, then at FLUSH, at a SET_INFO of the end
 * of file or of the basic information, and at CLOSE. The volume's mtime moves with every write (NFS clients see
 * it); while an update is pending the SMB view shows the write time from before it.
 *
 * <p>Per open ({@link State}, guarded by this object):
 * <pre>
 * state     | event                                     | next
 * ----------+-------------------------------------------+------------------------------------------------
 * FRESH     | WRITE                                     | DELAYED, due {@link #DELAY_NANOS} later
 * DELAYED   | the delay passed (seen at the next look)  | SETTLED (the write time is the last write's)
 * SETTLED   | WRITE                                     | AT_CLOSE (an open's delay is used once)
 * DELAYED,  | FLUSH, SET_INFO end of file or basic,     | SETTLED, the write time set to now
 * AT_CLOSE  | CLOSE                                     |
 * any       | SET_INFO LastWriteTime = a time or -1     | STICKY: that time (-1: the one shown) is shown
 * STICKY    | WRITE                                     | STICKY_WRITTEN
 * STICKY_   | FLUSH, SET_INFO end of file or basic,     | STICKY, the write time set back to the sticky one
 * WRITTEN   | CLOSE                                     |   (the write moved the volume's)
 * STICKY,   | SET_INFO LastWriteTime = -2               | SETTLED
 * STICKY_W. |                                           |
 * DELAYED,  | another open sets LastWriteTime           | SETTLED (the set time stands)
 * AT_CLOSE  |                                           |
 * </pre>
 *
 * Per file, while some open of it is DELAYED, AT_CLOSE or STICKY: the write time shown in the volume's place
 * ({@link #shown}).
 */
final class WriteTimes {
    /** How long after an open's first write its write time shows (Samba's writetimeupdatedelay). */
    static final long DELAY_NANOS = 2_000_000_000L;

    enum State {
        FRESH,
        DELAYED,
        SETTLED,
        AT_CLOSE,
        STICKY,
        STICKY_WRITTEN
    }

    /** The write-time state of one open. */
    static final class OpenState {
        private State state = State.FRESH;
        /** System.nanoTime() when a DELAYED update is due. */
        private long dueAt;
    }

    /** A file with pending updates: the write time shown and the opens whose writes it hides. */
    private static final class Pending {
        final long shown;
        final Set<SmbOpen> opens = new HashSet<>();

        Pending(long shown) {
            this.shown = shown;
        }
    }

    private record FileKey(Object volume, long inode) {
        static FileKey of(SmbOpen open) {
            return new FileKey(open.tree.sharing(), open.node.inode());
        }
    }

    private final Map<FileKey, Pending> pending = new HashMap<>();

    /** {@code a} as SMB shows it through trees of {@code volume}: its mtime replaced while an update is pending. */
    synchronized FileAttributes shown(Object volume, FileAttributes a) {
        Pending p = live(new FileKey(volume, a.inode()));
        if (p == null || p.shown == a.mtime()) {
            return a;
        }
        return a.withMtime(p.shown);
    }

    /** Before a WRITE through {@code open}: hides the write's mtime until the update is due. */
    void beforeWrite(SmbOpen open) throws IOException {
        FileKey key = FileKey.of(open);
        synchronized (this) {
            if (sticky(open)) {
                open.writeTime.state = State.STICKY_WRITTEN; // its record shows the time it set
                return;
            }
            if (live(key) != null) {
                hide(open, pending.get(key));
                return;
            }
        }
        long before = open.tree.volume().getattr(open.node).mtime(); // off the lock: a volume call
        synchronized (this) {
            Pending p = live(key);
            if (p == null) {
                p = new Pending(before);
                pending.put(key, p);
            }
            hide(open, p);
        }
    }

    private void hide(SmbOpen open, Pending p) {
        OpenState s = open.writeTime;
        if (s.state == State.FRESH) {
            s.state = State.DELAYED;
            s.dueAt = System.nanoTime() + DELAY_NANOS;
        } else if (s.state == State.SETTLED) {
            s.state = State.AT_CLOSE;
        }
        p.opens.add(open);
    }

    /**
     * FLUSH, SET_INFO and CLOSE: the write time to set on the volume for {@code open} (null when none): now for a
     * pending update (the open is SETTLED), the time a STICKY open set (writes through it moved the volume's).
     */
    synchronized Long settle(SmbOpen open) {
        FileKey key = FileKey.of(open);
        Pending p = live(key);
        if (p == null || !p.opens.contains(open)) {
            return null;
        }
        if (open.writeTime.state == State.STICKY) {
            return null;
        }
        if (open.writeTime.state == State.STICKY_WRITTEN) {
            open.writeTime.state = State.STICKY;
            return p.shown;
        }
        p.opens.remove(open);
        open.writeTime.state = State.SETTLED;
        if (p.opens.isEmpty()) {
            pending.remove(key);
        }
        return nowNanos();
    }

    /** {@link #settle}s and sets the volume's mtime to what it says. */
    void settleOnVolume(SmbOpen open) throws IOException {
        Long time = settle(open);
        if (time != null) {
            setServerTime(open.tree.volume(), open, SetAttributes.NONE.withTimes(null, time, null, null));
        }
    }

    /**
     * SET_INFO FileBasicInformation's LastWriteTime (a FILETIME) through {@code open}: a time makes the open
     * STICKY at that time and settles the file's other opens (the set time stands); -1 makes it STICKY at the
     * write time shown now ({@code currentMtime} unless an update is pending); -2 ends STICKY; 0 changes nothing.
     */
    synchronized void lastWriteTimeSet(SmbOpen open, long filetime, long currentMtime) {
        if (filetime == 0) {
            return;
        }
        FileKey key = FileKey.of(open);
        if (filetime == -2) {
            if (sticky(open)) {
                open.writeTime.state = State.SETTLED;
                closed(open);
            }
            return;
        }
        Pending p = live(key);
        long shown;
        if (filetime == -1) {
            shown = p != null ? p.shown : currentMtime;
            if (p != null) {
                p.opens.remove(open);
            }
        } else {
            shown = FileTimes.toEpochNanos(filetime);
            if (p != null) {
                p.opens.forEach(o -> o.writeTime.state = State.SETTLED);
                p.opens.clear();
            }
        }
        Pending sticky = new Pending(shown);
        if (p != null) {
            sticky.opens.addAll(p.opens);
        }
        sticky.opens.add(open);
        open.writeTime.state = State.STICKY;
        pending.put(key, sticky);
    }

    /** The open is gone: it no longer hides writes (its update, if any, was {@link #settle}d first). */
    synchronized void closed(SmbOpen open) {
        FileKey key = FileKey.of(open);
        Pending p = pending.get(key);
        if (p != null && p.opens.remove(open) && p.opens.isEmpty()) {
            pending.remove(key);
        }
    }

    private static boolean sticky(SmbOpen open) {
        return open.writeTime.state == State.STICKY || open.writeTime.state == State.STICKY_WRITTEN;
    }

    /** The file's pending updates after those whose delay passed (they show the volume's mtime); null if none. */
    private Pending live(FileKey key) {
        Pending p = pending.get(key);
        if (p == null) {
            return null;
        }
        long now = System.nanoTime();
        p.opens.removeIf(o -> {
            OpenState s = o.writeTime;
            if (s.state == State.DELAYED && now - s.dueAt >= 0) {
                s.state = State.SETTLED;
                return true;
            }
            return false;
        });
        if (p.opens.isEmpty()) {
            pending.remove(key);
            return null;
        }
        return p;
    }

    /** Sets times as the server's time: anyone who may write the file may (as a write would). */
    static void setServerTime(FileVolume volume, SmbOpen open, SetAttributes change) throws IOException {
        if (volume instanceof CheckedFileVolume c) {
            c.setattr(open.node, change, true);
        } else {
            volume.setattr(open.node, change);
        }
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
