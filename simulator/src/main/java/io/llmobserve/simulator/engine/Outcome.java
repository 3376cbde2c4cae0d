package io.llmobserve.simulator.engine;

/** How a call is answered. */
public enum Outcome {
  OK,
  THROTTLED,
  ERROR
}
