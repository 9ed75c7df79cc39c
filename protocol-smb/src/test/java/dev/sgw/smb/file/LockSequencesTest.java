package dev.sgw.smb.file;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The lock sequence buckets replay detection keeps per open (MS-SMB2 3.3.5.14), as smbtorture drives them. */
class LockSequencesTest {
    private final LockSequences sequences = new LockSequences();

    /** One LOCK: replayed (no effect) or run with {@code succeeds}. */
    private boolean replayed(int lockSequence, boolean succeeds) {
        if (sequences.replayed(lockSequence)) {
            return true;
        }
        if (succeeds) {
            sequences.succeeded(lockSequence);
        }
        return false;
    }

    @Test
    void aRepeatOfTheLastSuccessOfABucketIsAReplay() {
        assertThat(replayed(0x011, true)).as("bucket 1, number 1: first").isFalse();
        assertThat(replayed(0x011, true)).as("again").isTrue();
        assertThat(replayed(0x011, true)).as("an unlock with the same sequence").isTrue();
    }

    @Test
    void aFailureLeavesTheBucketInvalid() {
        replayed(0x011, true);
        assertThat(replayed(0x012, false)).as("another number runs (and fails)").isFalse();
        assertThat(replayed(0x012, false)).as("the failed one is no replay").isFalse();
        assertThat(replayed(0x011, false)).as("nor is the older success").isFalse();
    }

    @Test
    void bucketsAreIndependent() {
        replayed(0x011, true);
        assertThat(replayed(0x021, false)).as("bucket 2").isFalse();
        assertThat(replayed(0x011, true)).as("bucket 1 kept its number").isTrue();
    }

    @Test
    void onlyBuckets1To64AreChecked() {
        assertThat(replayed(0x001, true)).isFalse();
        assertThat(replayed(0x001, true)).as("bucket 0 is not checked").isFalse();
        assertThat(replayed(0x411, true)).isFalse();
        assertThat(replayed(0x411, true)).as("bucket 65 is not checked").isFalse();
        assertThat(replayed(0x401, true)).isFalse();
        assertThat(replayed(0x401, true)).as("bucket 64 is").isTrue();
    }
}
