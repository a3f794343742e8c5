package io.github.unseg.spark;

import java.io.Serializable;

/** What a task did with one input file: a row of the summary (and of the metrics, with truth). */
final class FileResult implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Status { DONE, SKIPPED, FAILED }

    final String input;
    final Status status;
    final String message;
    final double seconds;
    /** Evaluation CSV header and row (null without truth or when it failed). */
    final String metricsHeader, metricsRow;
    final String host;

    FileResult(String input, Status status, String message, double seconds, String metricsHeader, String metricsRow, String host) {
        this.input = input;
        this.status = status;
        this.message = message;
        this.seconds = seconds;
        this.metricsHeader = metricsHeader;
        this.metricsRow = metricsRow;
        this.host = host;
    }
}
