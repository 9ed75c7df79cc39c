package dev.sgw.core.sharing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of opens, closes, locks, unlocks and I/O checks on one file, each outcome compared with a
 * model that keeps locks byte by byte (a small file of {@value #BYTES} bytes) and opens in a plain list.
 */
class FileSharingModelTest {
    private static final int BYTES = 24;
    private static final long FILE = 9;

    /** The model: per owner and byte, its POSIX lock mode; WINDOWS locks as exact ranges; opens. */
    private static final class Model {
        final Map<StateOwner, LockMode[]> posix = new HashMap<>();
        final List<RangeLock> windows = new ArrayList<>();
        final List<FileOpen> opens = new ArrayList<>();

        boolean lockConflicts(RangeLock w) {
            for (int b = (int) w.start(); b < w.end(); b++) {
                for (Map.Entry<StateOwner, LockMode[]> e : posix.entrySet()) {
                    LockMode m = e.getValue()[b];
                    if (m != null
                            && !e.getKey().equals(w.owner())
                            && (m == LockMode.EXCLUSIVE || w.mode() == LockMode.EXCLUSIVE)) {
                        return true;
                    }
                }
                for (RangeLock r : windows) {
                    if (b < r.start() || b >= r.end()) {
                        continue;
                    }
                    boolean eitherExclusive = r.mode() == LockMode.EXCLUSIVE || w.mode() == LockMode.EXCLUSIVE;
                    boolean sameOwner = r.owner().equals(w.owner());
                    if (eitherExclusive && (!sameOwner || w.style() == LockStyle.WINDOWS)) {
                        return true;
                    }
                }
            }
            return false;
        }

        void lock(RangeLock w) {
            if (w.style() == LockStyle.POSIX) {
                LockMode[] mine = posix.computeIfAbsent(w.owner(), o -> new LockMode[BYTES]);
                for (int b = (int) w.start(); b < w.end(); b++) {
                    mine[b] = w.mode();
                }
            } else {
                windows.add(w);
            }
        }

        boolean unlock(StateOwner owner, int start, int end, LockStyle style) {
            if (style == LockStyle.WINDOWS) {
                for (int i = windows.size() - 1; i >= 0; i--) {
                    RangeLock r = windows.get(i);
                    if (r.owner().equals(owner) && r.start() == start && r.end() == end) {
                        windows.remove(i);
                        return true;
                    }
                }
                return false;
            }
            LockMode[] mine = posix.get(owner);
            boolean any = false;
            for (int b = start; mine != null && b < end; b++) {
                any |= mine[b] != null;
                mine[b] = null;
            }
            return any;
        }

        boolean ioForbidden(StateOwner owner, LockStyle style, int start, int end, boolean write) {
            for (int b = start; b < end; b++) {
                for (Map.Entry<StateOwner, LockMode[]> e : posix.entrySet()) {
                    LockMode m = e.getValue()[b];
                    if (m != null
                            && style == LockStyle.WINDOWS
                            && !e.getKey().equals(owner)
                            && (write || m == LockMode.EXCLUSIVE)) {
                        return true;
                    }
                }
                for (RangeLock r : windows) {
                    if (b >= r.start()
                            && b < r.end()
                            && !r.owner().equals(owner)
                            && (write || r.mode() == LockMode.EXCLUSIVE)) {
                        return true;
                    }
                }
            }
            return false;
        }

        boolean openConflicts(StateOwner owner, int access, int deny) {
            return opens.stream()
                    .anyMatch(o -> !o.owner().equals(owner) && ((access & o.deny()) != 0 || (deny & o.access()) != 0));
        }

        void dropLocksOf(StateOwner owner) {
            posix.remove(owner);
            windows.removeIf(r -> r.owner().equals(owner));
        }
    }

    @Test
    void everyOutcomeMatchesTheModel() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            run(seed, 3_000);
        }
    }

    private static void run(long seed, int steps) throws Exception {
        Random random = new Random(seed);
        FileSharing sharing = new FileSharing();
        Model model = new Model();
        StateOwner[] owners = {
            StateOwner.of(FileProtocol.NFS, 1, 1), StateOwner.of(FileProtocol.NFS, 2, 1),
            StateOwner.of(FileProtocol.SMB, 1, 1), StateOwner.of(FileProtocol.SMB, 1, 2)
        };
        for (int step = 0; step < steps; step++) {
            String where = "seed " + seed + ", step " + step;
            StateOwner owner = owners[random.nextInt(owners.length)];
            LockStyle style = owner.protocol() == FileProtocol.NFS ? LockStyle.POSIX : LockStyle.WINDOWS;
            int start = random.nextInt(BYTES);
            int end = start + 1 + random.nextInt(BYTES - start);
            switch (random.nextInt(6)) {
                case 0 -> {
                    LockMode mode = random.nextBoolean() ? LockMode.SHARED : LockMode.EXCLUSIVE;
                    RangeLock wanted = new RangeLock(owner, start, end, mode, style);
                    boolean expectRefused = model.lockConflicts(wanted);
                    boolean refused = sharing.lock(FILE, wanted, Duration.ZERO).isPresent();
                    assertThat(refused).as(where + ": lock " + wanted).isEqualTo(expectRefused);
                    if (!refused) {
                        model.lock(wanted);
                    }
                }
                case 1 -> {
                    boolean expected = model.unlock(owner, start, end, style);
                    assertThat(sharing.unlock(FILE, owner, start, end, style))
                            .as(where + ": unlock")
                            .isEqualTo(expected);
                }
                case 2 -> {
                    boolean write = random.nextBoolean();
                    boolean expected = model.ioForbidden(owner, style, start, end, write);
                    VolumeError error = null;
                    try {
                        sharing.checkIo(FILE, owner, style, start, end - start, write);
                    } catch (VolumeException e) {
                        error = e.error();
                    }
                    assertThat(error).as(where + ": io").isEqualTo(expected ? VolumeError.LOCKED : null);
                }
                case 3, 4 -> {
                    int access = random.nextInt(8);
                    int deny = random.nextInt(8);
                    boolean expected = model.openConflicts(owner, access, deny);
                    try {
                        model.opens.add(sharing.open(FILE, owner, access, deny));
                        assertThat(expected).as(where + ": open granted").isFalse();
                    } catch (VolumeException e) {
                        assertThat(e.error()).isEqualTo(VolumeError.SHARING_VIOLATION);
                        assertThat(expected).as(where + ": open refused").isTrue();
                    }
                }
                default -> {
                    if (!model.opens.isEmpty()) {
                        FileOpen open = model.opens.remove(random.nextInt(model.opens.size()));
                        sharing.close(open);
                        if (model.opens.stream().noneMatch(o -> o.owner().equals(open.owner()))) {
                            model.dropLocksOf(open.owner());
                        }
                    }
                }
            }
            for (StateOwner o : owners) {
                boolean modelHolds =
                        model.windows.stream().anyMatch(r -> r.owner().equals(o))
                                || (model.posix.containsKey(o)
                                        && Arrays.stream(model.posix.get(o)).anyMatch(m -> m != null));
                assertThat(sharing.holdsLocks(FILE, o))
                        .as(where + ": locks of " + o)
                        .isEqualTo(modelHolds);
            }
        }
    }
}
