package io.github.unseg.spark;

import java.io.Serializable;

/**
 * Runs on the worker before each task's work (file or block), with the task's attempt number.
 * For tests that must make a worker die mid-job; the command line never sets one.
 */
public interface TaskHook extends Serializable {
    void before(String item, int attempt);
}
