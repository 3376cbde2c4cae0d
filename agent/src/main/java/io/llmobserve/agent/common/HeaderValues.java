package io.llmobserve.agent.common;

import java.util.List;

/**
 * A client's header view that has every value of a header: captured headers are recorded with all
 * their values, as upstream records them ({@link CapturedHttpHeaders}).
 */
public interface HeaderValues {
  /** Every value of the header, or null / empty when absent. */
  List<String> all(String lowerCaseName);
}
