package io.archiveguardian.guardian.ballast;

import io.archiveguardian.reserve.AllocationMethod;
import io.archiveguardian.reserve.ReserveObserver;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * Shows a progress bar for tiers armed on the write path (fallocate takes milliseconds and gets
 * none). Draws on the given writer, so the CLI's stderr (and tests) see it.
 */
public final class ProgressBarObserver implements ReserveObserver, AutoCloseable {

    private final PrintWriter out;
    private ProgressBar bar;

    public ProgressBarObserver(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void tierStarted(int tier, long bytes, AllocationMethod method) {
        close();
        if (method == AllocationMethod.WRITE) {
            bar = new ProgressBarBuilder()
                    .setTaskName("arming tier " + tier)
                    .setInitialMax(bytes)
                    .setUnit(" MiB", 1024L * 1024)
                    .showSpeed()
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new WriterConsumer(out))
                    .build();
        }
    }

    @Override
    public void tierProgress(int tier, long doneBytes, long totalBytes) {
        if (bar != null) {
            bar.stepTo(doneBytes);
        }
    }

    @Override
    public void tierArmed(int tier, long bytes) {
        close();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private static final class WriterConsumer implements ProgressBarConsumer {
        private final PrintWriter out;

        WriterConsumer(PrintWriter out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return 100;
        }

        @Override
        public void accept(String rendered) {
            out.print('\r');
            out.print(rendered);
            out.flush();
        }

        @Override
        public void close() {
            out.println();
            out.flush();
        }
    }
}
