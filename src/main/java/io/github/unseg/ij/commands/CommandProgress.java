package io.github.unseg.ij.commands;

import ij.IJ;
import io.github.unseg.core.Progress;
import org.scijava.Cancelable;
import org.scijava.app.StatusService;

/** Progress to the status bar; cancelled by the command's cancel or by Esc in ImageJ. */
final class CommandProgress implements Progress {
    private final StatusService status;
    private final Cancelable command;

    CommandProgress(StatusService status, Cancelable command) {
        this.status = status;
        this.command = command;
        IJ.resetEscape();
    }

    @Override
    public void report(String message, double fraction) {
        if (status == null) return;
        status.showStatus(message);
        if (fraction >= 0) status.showProgress((int) Math.round(fraction * 1000), 1000);
    }

    @Override
    public boolean isCancelled() {
        return command.isCanceled() || IJ.escapePressed();
    }
}
