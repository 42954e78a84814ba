package io.archiveguardian.reserve;

/**
 * Hears what a reserve operation does, while it does it (for progress bars and logs). Called on
 * the operating thread, with the reserve's lock held: keep it quick.
 */
public interface ReserveObserver {

    ReserveObserver NONE = new ReserveObserver() {
    };

    /** Allocation of a tier begins. */
    default void tierStarted(int tier, long bytes, AllocationMethod method) {
    }

    /** {@code doneBytes} of the tier's {@code totalBytes} are allocated. */
    default void tierProgress(int tier, long doneBytes, long totalBytes) {
    }

    /** The tier's file is complete and in place; the manifest records it next. */
    default void tierArmed(int tier, long bytes) {
    }

    /** The tier's file is gone (its space is free); the manifest records it next. */
    default void tierReleased(int tier, long bytes) {
    }
}
