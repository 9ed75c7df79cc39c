package dev.sgw.core.manage;

/** The object store behind a {@link CloudResource}. */
public enum BackendKind {
    /** Alibaba Cloud OSS through Alibaba's SDK. */
    OSS,
    /** Any S3-compatible store (AWS S3, MinIO, Ceph RGW, OSS's S3 endpoint). */
    S3,
    /** An in-process store that forgets everything on exit: for tests and demos. */
    MEMORY
}
