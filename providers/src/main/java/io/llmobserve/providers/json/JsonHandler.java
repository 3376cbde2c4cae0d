package io.llmobserve.providers.json;

/**
 * Callbacks of {@link JsonScanner}. The handler decides per value whether its text is materialised,
 * so uninteresting values cost nothing but the scan.
 */
public interface JsonHandler {
  /**
   * A scalar value starts at {@link JsonScanner#depth()} under {@link JsonScanner#keyAt}.
   *
   * @param kind {@link JsonScanner#STRING}, NUMBER, TRUE, FALSE or NULL
   * @return how many bytes of it to capture (0: skip it, no {@link #scalar} call)
   */
  int valueStart(JsonScanner scanner, int kind);

  /** The value announced by the last {@link #valueStart} that asked for capture. */
  void scalar(JsonScanner scanner, int kind, byte[] buf, int len, boolean truncated);

  /** An object or array was opened; it is at depth() and sits under keyAt(depth() - 1). */
  void containerStart(JsonScanner scanner, boolean object);

  /** The container at depth() closes. */
  void containerEnd(JsonScanner scanner, boolean object);

  /**
   * An object key at {@link JsonScanner#depth()}, only when {@link JsonScanner#setReportKeys} is on
   * (keys longer than the scanner's key capture are not reported). The bytes are not retained.
   */
  default void key(JsonScanner scanner, byte[] bytes, int offset, int length) {}

  /**
   * Whether the capture {@link #valueStart} just asked for leaves the handler as it was when the
   * same value is read again right after (a first-value-wins field, a set): only asked when {@link
   * JsonScanner#setSkipRepeatedPrefix} is on, where a false answer (appended text, a count) ends
   * the part of a document that the next one may skip.
   */
  default boolean repeatableCapture() {
    return false;
  }
}
