package dev.sgw.core.sharing;

import java.nio.ByteBuffer;
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
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random sequences of opens, closes, locks, unlocks, I/O checks and leases (requests, breaks by every change,
 * acknowledgments, releases) on one file, each outcome compared with a model that keeps locks byte by byte (a
 * small file of {@value #BYTES} bytes), opens in a plain list and lease states per key.
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
                    boolean ownStacks = w.style() == LockStyle.WINDOWS && w.mode() == LockMode.SHARED;
                    if (sameOwner ? w.style() == LockStyle.WINDOWS && !ownStacks : eitherExclusive) {
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

    /**
     * The model of leases, one per key (key {@code k} belongs to owner {@code k / 2}): the state of each, whether
     * a break of it runs and to what, and what {@link FileSharing#requestLease} must grant by its rules.
     */
    private static final class LeaseModel {
        final int[] state = new int[KEYS];
        final boolean[] breaking = new boolean[KEYS];
        final int[] breakingTo = new int[KEYS];

        /** READ and HANDLE beside any open; WRITE only alone; nothing beside a break. */
        int grant(int k, int wanted, List<FileOpen> opens) {
            for (int o = 0; o < KEYS; o++) {
                if (o != k && breaking[o]) {
                    return LeaseState.NONE;
                }
            }
            boolean others = false;
            for (FileOpen open : opens) {
                others |= !key(k).equals(open.leaseKey());
            }
            for (int o = 0; o < KEYS; o++) {
                others |= o != k && state[o] != LeaseState.NONE;
            }
            return others ? wanted & ~LeaseState.WRITE : wanted;
        }

        /** A request: a new lease gets the grant, a held one is upgraded by it, a breaking one stays. */
        int request(int k, int wanted, List<FileOpen> opens) {
            int granted = grant(k, wanted, opens);
            if (state[k] == LeaseState.NONE) {
                state[k] = granted;
            } else if (!breaking[k]) {
                state[k] |= granted;
            }
            return state[k];
        }

        /** What a lease in {@code from} keeps after {@code change} (READ goes when it would be alone with W). */
        static int leaves(SharingChange change, int from) {
            int kept = switch (change) {
                case OPEN -> from & ~LeaseState.WRITE;
                case WRITE -> from & LeaseState.HANDLE;
                case RENAME_OR_REMOVE -> from & (LeaseState.READ | LeaseState.WRITE);
                case BUCKET -> LeaseState.NONE;
            };
            return (kept & LeaseState.READ) == 0 ? LeaseState.NONE : kept;
        }

        /** Starts the breaks of {@code change} (all but key {@code except}; -1: none); what the holders are told. */
        List<String> mark(SharingChange change, int except) {
            List<String> told = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                if (k == except || state[k] == LeaseState.NONE) {
                    continue;
                }
                int from = breaking[k] ? breakingTo[k] : state[k];
                int to = leaves(change, from);
                if (to == from) {
                    continue;
                }
                boolean ack = (state[k] & (LeaseState.WRITE | LeaseState.HANDLE)) != 0;
                told.add(told(k, from, to, ack));
                if (ack) {
                    breaking[k] = true;
                    breakingTo[k] = to;
                } else {
                    state[k] = to;
                }
            }
            return told;
        }

        void settle(int k, int to) {
            state[k] = to;
            breaking[k] = false;
        }

        /** The ack timeout passed: every running break ends at the state it breaks to. */
        void settleAll() {
            for (int k = 0; k < KEYS; k++) {
                if (breaking[k]) {
                    settle(k, breakingTo[k]);
                }
            }
        }

        int live() {
            return (int) Arrays.stream(state).filter(s -> s != LeaseState.NONE).count();
        }
    }

    private static final int KEYS = 8;
    private static final int[] VALID = {
        LeaseState.NONE,
        LeaseState.READ,
        LeaseState.READ | LeaseState.HANDLE,
        LeaseState.READ | LeaseState.WRITE,
        LeaseState.READ | LeaseState.WRITE | LeaseState.HANDLE
    };
    private static final Duration ACK_TIMEOUT = Duration.ofMillis(1);

    private static ByteBuffer key(int k) {
        return ByteBuffer.allocate(16).putInt(0, 0x1EA5E).putInt(4, k);
    }

    private static String told(int k, int from, int to, boolean ack) {
        return "key " + k + " " + LeaseState.describe(from) + ">" + LeaseState.describe(to) + (ack ? " ack" : "");
    }

    @Test
    void everyOutcomeMatchesTheModel() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            new Run(seed).steps(3_000);
        }
    }

    /** One random sequence on one file, with the model it is checked against. */
    private static final class Run {
        final long seed;
        final Random random;
        final FileSharing sharing = new FileSharing();
        final Model model = new Model();
        final LeaseModel leases = new LeaseModel();
        /** The lease object last handed out for each key (null: none yet). */
        final Lease[] real = new Lease[KEYS];
        /** What the breakers were told during the running break, and the leases it started with. */
        final List<String> told = new ArrayList<>();

        Lease[] beforeBreak = new Lease[KEYS];
        final StateOwner[] owners = {
            StateOwner.of(FileProtocol.NFS, 1, 1), StateOwner.of(FileProtocol.NFS, 2, 1),
            StateOwner.of(FileProtocol.SMB, 1, 1), StateOwner.of(FileProtocol.SMB, 1, 2)
        };
        String where = "";

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        void steps(int steps) throws Exception {
            for (int step = 0; step < steps; step++) {
                where = "seed " + seed + ", step " + step;
                int who = random.nextInt(owners.length);
                StateOwner owner = owners[who];
                LockStyle style = owner.protocol() == FileProtocol.NFS ? LockStyle.POSIX : LockStyle.WINDOWS;
                int start = random.nextInt(BYTES);
                int end = start + 1 + random.nextInt(BYTES - start);
                switch (random.nextInt(11)) {
                    case 0 -> lock(new RangeLock(owner, start, end, randomMode(), style));
                    case 1 -> {
                        boolean expected = model.unlock(owner, start, end, style);
                        assertThat(sharing.unlock(FILE, owner, start, end, style))
                                .as(where + ": unlock")
                                .isEqualTo(expected);
                    }
                    case 2 -> checkIo(owner, style, start, end, random.nextBoolean());
                    case 3, 4 -> open(who);
                    case 5 -> close();
                    case 6, 7 -> request(random.nextInt(KEYS));
                    case 8 -> breakLeases();
                    case 9 -> acknowledgeOutsideABreak();
                    default -> release(random.nextInt(KEYS));
                }
                checkLocks();
                checkLeases();
            }
        }

        LockMode randomMode() {
            return random.nextBoolean() ? LockMode.SHARED : LockMode.EXCLUSIVE;
        }

        void lock(RangeLock wanted) throws InterruptedException {
            boolean expectRefused = model.lockConflicts(wanted);
            boolean refused = sharing.lock(FILE, wanted, Duration.ZERO).isPresent();
            assertThat(refused).as(where + ": lock " + wanted).isEqualTo(expectRefused);
            if (!refused) {
                model.lock(wanted);
            }
        }

        void checkIo(StateOwner owner, LockStyle style, int start, int end, boolean write) {
            boolean expected = model.ioForbidden(owner, style, start, end, write);
            VolumeError error = null;
            try {
                sharing.checkIo(FILE, owner, style, start, end - start, write);
            } catch (VolumeException e) {
                error = e.error();
            }
            assertThat(error).as(where + ": io").isEqualTo(expected ? VolumeError.LOCKED : null);
        }

        /** An open of owner {@code who}, under one of its two lease keys or none. */
        void open(int who) {
            StateOwner owner = owners[who];
            int access = random.nextInt(8);
            int deny = random.nextInt(8);
            int k = random.nextInt(3);
            ByteBuffer leaseKey = k == 2 ? null : key(who * 2 + k);
            boolean expected = model.openConflicts(owner, access, deny);
            try {
                model.opens.add(sharing.open(FILE, owner, leaseKey, access, deny));
                assertThat(expected).as(where + ": open granted").isFalse();
            } catch (VolumeException e) {
                assertThat(e.error()).isEqualTo(VolumeError.SHARING_VIOLATION);
                assertThat(expected).as(where + ": open refused").isTrue();
            }
        }

        void close() {
            if (model.opens.isEmpty()) {
                return;
            }
            FileOpen open = model.opens.remove(random.nextInt(model.opens.size()));
            sharing.close(open);
            if (model.opens.stream().noneMatch(o -> o.owner().equals(open.owner()))) {
                model.dropLocksOf(open.owner());
            }
        }

        /** A lease request of key {@code k}: a valid state, now and then an invalid one. */
        void request(int k) {
            if (random.nextInt(20) == 0) {
                int invalid = random.nextBoolean() ? LeaseState.WRITE : LeaseState.HANDLE | LeaseState.WRITE;
                assertThatThrownBy(() -> sharing.requestLease(FILE, owners[k / 2], key(k), invalid, breakerOf(k)))
                        .as(where + ": request of " + LeaseState.describe(invalid))
                        .isInstanceOf(IllegalArgumentException.class);
                return;
            }
            int wanted = VALID[random.nextInt(VALID.length)];
            boolean held = leases.state[k] != LeaseState.NONE;
            int expected = leases.request(k, wanted, model.opens);
            Lease lease = sharing.requestLease(FILE, owners[k / 2], key(k), wanted, breakerOf(k));
            String what = where + ": request of " + LeaseState.describe(wanted) + " by key " + k;
            assertThat(lease.state()).as(what).isEqualTo(expected);
            if (held) {
                assertThat(lease).as(what + ", the held lease").isSameAs(real[k]);
            }
            real[k] = lease;
        }

        /** A break by a random change, sparing one key or none; compared with the model once it returned. */
        void breakLeases() throws InterruptedException {
            SharingChange change = SharingChange.values()[random.nextInt(SharingChange.values().length)];
            int except = random.nextInt(KEYS + 1) - 1;
            List<String> expected = leases.mark(change, except);
            told.clear();
            beforeBreak = real.clone();
            sharing.breakLeases(FILE, change, except < 0 ? null : key(except), ACK_TIMEOUT);
            leases.settleAll();
            assertThat(told)
                    .as(where + ": told by a break for " + change + " sparing key " + except)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }

        /**
         * Each holder records what it is told and, for a break that waits, acknowledges at once (what the break
         * left or less), acknowledges too much (refused), or not at all (the timeout lowers it); now and then it
         * first asks for a lease, which nobody of another key gets while a break runs.
         */
        LeaseBreaker breakerOf(int k) {
            return (lease, from, to, ack) -> {
                told.add(told(k, from, to, ack));
                assertThat(lease).as(where + ": the lease told of key " + k).isSameAs(beforeBreak[k]);
                if (random.nextInt(4) == 0) {
                    request(random.nextInt(KEYS));
                }
                if (!ack) {
                    return;
                }
                int state = VALID[random.nextInt(VALID.length)];
                boolean fits = (state & ~to) == 0;
                switch (random.nextInt(3)) {
                    case 0 -> {}
                    case 1 -> acknowledge(lease, k, fits ? state : to, true);
                    default -> acknowledge(lease, k, state, fits);
                }
            };
        }

        void acknowledge(Lease lease, int k, int state, boolean accepted) {
            String what = where + ": acknowledgment of " + LeaseState.describe(state) + " by key " + k;
            if (accepted) {
                assertThatCode(() -> sharing.acknowledge(lease, state)).as(what).doesNotThrowAnyException();
                leases.settle(k, state);
            } else {
                assertThatThrownBy(() -> sharing.acknowledge(lease, state))
                        .as(what)
                        .isInstanceOf(VolumeException.class)
                        .extracting(e -> ((VolumeException) e).error())
                        .isEqualTo(VolumeError.INVAL);
            }
        }

        /** No break runs between steps: every acknowledgment is refused. */
        void acknowledgeOutsideABreak() {
            int k = random.nextInt(KEYS);
            if (real[k] != null) {
                acknowledge(real[k], k, VALID[random.nextInt(VALID.length)], false);
            }
        }

        void release(int k) {
            if (real[k] != null) {
                sharing.releaseLease(real[k]);
                leases.settle(k, LeaseState.NONE);
            }
        }

        void checkLocks() {
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

        void checkLeases() {
            for (int k = 0; k < KEYS; k++) {
                int state = real[k] == null ? LeaseState.NONE : real[k].state();
                assertThat(LeaseState.describe(state))
                        .as(where + ": lease of key " + k)
                        .isEqualTo(LeaseState.describe(leases.state[k]));
                assertThat(real[k] != null && real[k].isBreaking())
                        .as(where + ": a break of key " + k + " still runs")
                        .isFalse();
            }
            assertThat(sharing.leases(FILE)).as(where + ": leases").hasSize(leases.live());
        }
    }
}
