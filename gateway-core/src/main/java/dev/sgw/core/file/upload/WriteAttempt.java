package dev.sgw.core.file.upload;

import dev.sgw.core.store.ObjectWritten;

/** The end of one attempt to write a version at one key, before any conflict handling. */
sealed interface WriteAttempt {

    /** The object is written. */
    record Stored(ObjectWritten object) implements WriteAttempt {}

    /** The key does not hold what the precondition expected; {@code theirs} is its ETag, null if absent. */
    record Refused(String theirs) implements WriteAttempt {}

    /** The content changed before the object was completed; nothing was written. */
    record Dropped() implements WriteAttempt {}
}
