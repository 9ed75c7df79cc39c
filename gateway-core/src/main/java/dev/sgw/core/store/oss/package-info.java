/**
 * The Alibaba Cloud OSS backend of the {@link dev.sgw.core.store.ObjectStore} seam, on Alibaba's OSS SDK:
 * {@link dev.sgw.core.store.oss.OssObjectStore} and its {@link dev.sgw.core.store.oss.OssStoreConfig}. The
 * SDK's types stay inside this package; its failures leave it only as
 * {@link dev.sgw.core.store.ObjectStoreException}, mapped in one place.
 */
package dev.sgw.core.store.oss;
