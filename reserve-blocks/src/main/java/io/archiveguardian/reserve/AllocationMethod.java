package io.archiveguardian.reserve;

/** How a tier's blocks were actually allocated. */
public enum AllocationMethod {
    FALLOCATE,
    WRITE
}
