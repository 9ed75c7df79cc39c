package dev.sgw.core.sharing;

/** A byte-range lock's mode: shared (read) locks coexist; an exclusive (write) lock stands alone. */
public enum LockMode {
    SHARED,
    EXCLUSIVE
}
