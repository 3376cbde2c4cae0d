package io.llmobserve.providers.headers;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.providers.HeaderReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PresentHeadersTest {
  /** Every response header name the library reads, from all providers. */
  private static final String[] KNOWN = {
    "content-type",
    "content-encoding",
    "cf-ray",
    "x-amz-cf-pop",
    "x-ms-region",
    "apim-request-id",
    "azureml-model-session",
    "x-ms-client-request-id",
    "x-ms-deployment-name",
    "x-ms-rai-invoked",
    "x-amzn-requestid",
    "x-amzn-bedrock-invocation-latency",
    "x-amz-apigw-id",
    "server",
    "via",
    "x-goog-request-id",
    "x-request-id",
    "request-id",
    "openai-processing-ms",
    "x-envoy-upstream-service-time",
    "server-timing",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "anthropic-ratelimit-requests-remaining",
    "anthropic-ratelimit-tokens-remaining",
    "anthropic-ratelimit-requests-limit",
    "anthropic-ratelimit-tokens-limit"
  };

  /** A client like the JDK's: a case-insensitive map, counting the lookups that reach it. */
  private static final class Client implements HeaderReader {
    final TreeMap<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final boolean listable;
    int lookups;

    Client(boolean listable, String... nameValues) {
      this.listable = listable;
      for (int i = 0; i < nameValues.length; i += 2) {
        map.put(nameValues[i], nameValues[i + 1]);
      }
    }

    @Override
    public String get(String lowerCaseName) {
      lookups++;
      return map.get(lowerCaseName);
    }

    @Override
    public boolean listNames(NameSink sink) {
      if (listable) {
        map.keySet().forEach(sink::name);
      }
      return listable;
    }
  }

  private static final String[] OPENAI_VIA_CLOUDFLARE = {
    "Content-Type", "application/json",
    "Date", "Mon, 07 Dec 2026 03:00:00 GMT",
    "X-Request-Id", "req_8f1e2d",
    "OpenAI-Processing-Ms", "412",
    "X-RateLimit-Remaining-Requests", "9999",
    "X-RateLimit-Remaining-Tokens", "149984",
    "X-RateLimit-Limit-Requests", "10000",
    "X-RateLimit-Limit-Tokens", "150000",
    "CF-RAY", "8f1e2d3c4b5a6978-SJC",
    "Server", "cloudflare"
  };

  @Test
  void mixedCaseNamesAreFoundAndAbsentOnesNeverReachTheClient() {
    Client listed = new Client(true, OPENAI_VIA_CLOUDFLARE);
    Client unlisted = new Client(false, OPENAI_VIA_CLOUDFLARE);

    ResponseHeaderInfo viaFilter = ResponseHeaderInfo.read(listed, "openai", null, false);
    ResponseHeaderInfo direct = ResponseHeaderInfo.read(unlisted, "openai", null, false);

    assertThat(viaFilter)
        .usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class)
        .isEqualTo(direct);
    assertThat(viaFilter.requestId).isEqualTo("req_8f1e2d");
    assertThat(viaFilter.remainingTokens).isEqualTo(149984);
    assertThat(viaFilter.edgePop).isEqualTo("SJC");
    assertThat(viaFilter.processingTimeSeconds).isEqualTo(0.412);
    // without the filter every name asked reaches the client; with it, about the present ones
    assertThat(unlisted.lookups).isGreaterThanOrEqualTo(20);
    assertThat(listed.lookups).isLessThan(unlisted.lookups / 2);
  }

  @Test
  void aClientThatCannotListItsNamesIsAskedDirectly() {
    Client client = new Client(false, "X-Request-Id", "r1");
    assertThat(PresentHeaders.of(client)).isSameAs(client);
  }

  @Test
  void aNameOutsideAsciiTurnsTheFilterOff() {
    Client client = new Client(true, "X-Request-Id", "r1", "x-caf\u00c9", "v");
    HeaderReader filtered = PresentHeaders.of(client);
    for (String name : KNOWN) {
      filtered.get(name);
    }
    assertThat(client.lookups).isEqualTo(KNOWN.length);
  }

  @Test
  void anyHeaderSetInAnyCaseReadsAsWithoutTheFilter() {
    Random random = new Random(7);
    for (int round = 0; round < 500; round++) {
      List<String> nameValues = new ArrayList<>();
      for (String name : KNOWN) {
        if (random.nextInt(3) == 0) {
          nameValues.add(randomCase(name, random));
          nameValues.add(value(name, random));
        }
      }
      String[] nv = nameValues.toArray(new String[0]);
      String provider = random.nextBoolean() ? "openai" : "anthropic";
      ResponseHeaderInfo viaFilter =
          ResponseHeaderInfo.read(new Client(true, nv), provider, null, false);
      ResponseHeaderInfo direct =
          ResponseHeaderInfo.read(new Client(false, nv), provider, null, false);
      assertThat(viaFilter)
          .as(nameValues.toString())
          .usingRecursiveComparison()
          .withComparatorForType(Double::compare, Double.class)
          .isEqualTo(direct);
    }
  }

  private static String randomCase(String name, Random random) {
    StringBuilder sb = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      sb.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return sb.toString();
  }

  private static String value(String name, Random random) {
    if (name.contains("ratelimit") || name.endsWith("-ms") || name.endsWith("latency")) {
      return String.valueOf(random.nextInt(100000));
    }
    if (name.equals("cf-ray")) {
      return "8f1e2d3c4b5a6978-" + (random.nextBoolean() ? "SJC" : "AMS");
    }
    if (name.equals("server-timing")) {
      return "total;dur=" + random.nextInt(1000);
    }
    return name.toUpperCase(Locale.ROOT).substring(0, 3) + random.nextInt(1000);
  }
}
