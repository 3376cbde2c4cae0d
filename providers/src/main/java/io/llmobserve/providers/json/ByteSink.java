package io.llmobserve.providers.json;

/** A stage of the body pipeline that consumes bytes in arbitrary chunk splits. */
public interface ByteSink {
  void accept(byte[] bytes, int offset, int length);

  /** The input ended (EOF); flush what is pending. */
  void end();
}
