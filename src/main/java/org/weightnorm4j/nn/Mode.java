package org.weightnorm4j.nn;

/** Whether a forward pass trains (dropout, noise and batch statistics on) or evaluates. */
public enum Mode {
    TRAIN,
    EVAL
}
