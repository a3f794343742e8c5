package io.github.unseg.ij;

import ij.IJ;
import io.github.unseg.core.Progress;

/**
 * Progress of a macro's {@code call()}: ImageJ's status and progress bars, cancelled by Esc (the
 * press is cleared first, so an earlier one does not count), as ImageJ's own commands do.
 */
final class StatusProgress implements Progress {
    StatusProgress() {
        IJ.resetEscape();
    }

    @Override
    public void report(String message, double fraction) {
        IJ.showStatus(message);
        if (fraction >= 0) IJ.showProgress(fraction);
    }

    @Override
    public boolean isCancelled() {
        return IJ.escapePressed();
    }
}
